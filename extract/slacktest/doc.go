// Package slacktest is a synthetic Slack organisation served over real HTTP
// on loopback, for tests, benchmarks and the demo command.
//
// NewOrg generates a deterministic organisation from a Config (same Config,
// byte-identical responses); NewServer serves it at URL()+method with
// Slack's documented JSON, token and scope checks, plan gates, per-tier rate
// limits (optionally time-scaled) and injectable faults. The package writes
// its JSON by hand and shares no types with any Slack client, so client
// decoding mistakes are caught rather than shared.
//
//	org := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 1000})
//	srv := slacktest.NewServer(org, slacktest.WithTimeScale(0.001))
//	defer srv.Close()
//	api := slack.New(org.AdminToken().Value, slack.OptionAPIURL(srv.URL()))
package slacktest
