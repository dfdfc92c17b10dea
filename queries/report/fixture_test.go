package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// fixtureSyncs is how many weekly syncs threeAccounts records; the last is
// at asOf.
const fixtureSyncs = 6

// threeAccounts is a warehouse holding six weekly syncs of three billing
// accounts: the enterprise Acme Corp (E0ACME, workspaces Acme HQ and Acme
// Engineering), Globex EU (T0GLOBEX) and Umbrella <Labs> (T0UMB). The last
// sync has 640 people with seats, usage and last use, and 36 apps; the
// earlier syncs have seat_history rows only: Umbrella <Labs> joined at the
// third, and the second had no price for Globex's plan. People's seat types
// and use follow arithmetic patterns, so the same test gives the same
// warehouse.
func threeAccounts(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	for k := 1; k <= fixtureSyncs; k++ {
		run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: asOf.AddDate(0, 0, 7*(k-fixtureSyncs)), Mode: "grid_org"})
		require.NoError(t, err)
		if k == fixtureSyncs {
			run.SetStatus(warehouse.SourceStatus{TeamID: "T0UMB", Source: "access_logs", Status: "unavailable",
				Reason: "Slack Pro has no sign-in log", Unlock: "upgrade to Business+"})
			run.SetStatus(warehouse.SourceStatus{TeamID: "T0ACME1", Source: "users", Status: "ok"})
		}
		require.NoError(t, run.Commit(ctx, 0))
	}
	for _, q := range fixtureSQL() {
		_, err := db.SQL().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return path
}

// fixtureSQL fills the warehouse: people first (a work table dropped at the
// end), then every table the report reads, derived from them.
func fixtureSQL() []string {
	latest := asOf.Format(time.RFC3339)
	return []string{
		`INSERT INTO workspaces (team_id, name, enterprise_id, enterprise_name, plan) VALUES
		 ('T0ACME1', 'Acme HQ', 'E0ACME', 'Acme Corp', 'enterprise'),
		 ('T0ACME2', 'Acme Engineering', 'E0ACME', 'Acme Corp', 'enterprise'),
		 ('T0GLOBEX', 'Globex EU', NULL, NULL, 'plus'), ('T0UMB', 'Umbrella <Labs>', NULL, NULL, 'std')`,
		strings.ReplaceAll(fixturePeople, "$asof", latest),
		`INSERT INTO users (team_id, user_id, real_name, email) SELECT team_id, user_id, real_name, email FROM fx_people`,
		`INSERT INTO licenses (org_id, user_id, seat_type, is_paid_seat_type, billing_active, last_used_at,
		 days_since_last_use, active_in_window, estimated_billable, billing_flag, monthly_cost, currency, plan)
		 SELECT org_id, user_id, seat_type, paid, billing_active, last_used_at, days, coalesce(days <= 28, false),
		        paid AND coalesce(days <= 28, false),
		        CASE WHEN NOT paid THEN NULL WHEN days IS NULL THEN 'never_used'
		             WHEN days > 28 AND billing_active THEN 'billed_but_inactive' ELSE 'ok' END,
		        CASE WHEN paid THEN price ELSE 0 END, 'USD', plan
		 FROM fx_people`,
		`INSERT INTO user_usage (org_id, user_id, last_used_at, last_used_source, days_since_last_use, usage_frequency,
		 frequency_estimated) SELECT org_id, user_id, last_used_at, CASE WHEN days IS NOT NULL THEN 'access_logs' END,
		 days, frequency, true FROM fx_people`,
		strings.NewReplacer("$run", "6", "$asof", latest, "$scope", "billing_account", "$team", "NULL",
			"$group", "org_id").Replace(fixtureSeats),
		strings.NewReplacer("$run", "6", "$asof", latest, "$scope", "workspace", "$team", "team_id",
			"$group", "org_id, team_id").Replace(fixtureSeats),
		fixtureHistory,
		fixtureApps,
		`DROP TABLE fx_people`,
	}
}

// fixturePeople makes the people of the last sync. r picks the seat type
// (2 % owners, 4 % admins, 74 % members, 6 % multi-channel and 5 %
// single-channel guests, 3 % each invited, bots and deactivated), u the use
// (40 % daily, 20 % weekly, 10 % monthly, 20 % dormant, 10 % never).
const fixturePeople = `CREATE TABLE fx_people AS
WITH accounts(org_id, plan, price, n) AS (
    VALUES ('E0ACME', 'enterprise', 15.0, 420), ('T0GLOBEX', 'plus', 12.5, 160), ('T0UMB', 'std', 8.75, 60)),
base AS (
    SELECT a.*, t.i, (t.i * 37 + 11) % 100 AS r, (t.i * 53 + 7 + a.n) % 100 AS u
    FROM accounts a JOIN range(1000) t(i) ON t.i < a.n),
typed AS (
    SELECT *,
        CASE WHEN r < 2 THEN 'owner' WHEN r < 6 THEN 'admin' WHEN r < 80 THEN 'member'
             WHEN r < 86 THEN 'multi_channel_guest' WHEN r < 91 THEN 'single_channel_guest' WHEN r < 94 THEN 'invited'
             WHEN r < 97 THEN 'bot' ELSE 'deactivated' END AS seat_type,
        CASE WHEN u < 40 THEN i % 3 WHEN u < 60 THEN 1 + i % 10 WHEN u < 70 THEN 5 + i % 23
             WHEN u < 90 THEN 29 + (i * 97) % 480 END AS days,
        CASE WHEN u < 40 THEN 'daily' WHEN u < 60 THEN 'weekly' WHEN u < 70 THEN 'monthly'
             WHEN u < 90 THEN 'dormant' ELSE 'never' END AS frequency,
        list_element(['Ann', 'Bob', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Grace', 'Hiro', 'Ines', 'José',
                      'Kofi', 'Lena', 'Mei', 'Nils', 'Olga', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Zoë'], 1 + i % 20) AS first,
        list_element(['Smith', 'Okafor', 'Martin', 'Ivanova', 'Tanaka', 'García', 'Müller', 'Nowak', 'Rossi',
                      'Kim', 'Dubois', 'Silva', 'Hansen', 'Patel', 'Cohen', 'Nguyen', 'Moreau', 'Berg', 'Costa',
                      'Wright'], 1 + (i * 7) % 20) AS last
    FROM base)
SELECT org_id, plan, price, seat_type, days, frequency,
       CASE WHEN org_id <> 'E0ACME' THEN org_id WHEN i % 3 = 0 THEN 'T0ACME2' ELSE 'T0ACME1' END AS team_id,
       'U' || org_id || lpad(i::VARCHAR, 4, '0') AS user_id, first || ' ' || last AS real_name,
       lower(first) || '.' || lower(last) || i || '@' || lower(org_id) || '.example' AS email,
       seat_type IN ('owner', 'admin', 'member', 'multi_channel_guest') AS paid,
       seat_type NOT IN ('invited', 'bot', 'deactivated') AND (coalesce(days <= 28, false) OR i % 4 <> 0) AS billing_active,
       '$asof'::TIMESTAMPTZ - to_days(days) AS last_used_at
FROM typed`

// fixtureSeats adds sync $run's seat_history rows of scope $scope from the
// people, grouped by $group.
const fixtureSeats = `INSERT INTO seat_history (run_id, as_of, scope, org_id, team_id, plan, owners, admins, members,
    multi_channel_guests, single_channel_guests, billed_single_channel_guests, invited, bots, deactivated, paid_seats,
    slack_billable, estimated_billable, inactive_paid_seats, never_used_paid_seats, monthly_cost, monthly_waste,
    yearly_waste, currency, price_known, all_active_pattern, note, inactive_after_days)
SELECT $run, '$asof', '$scope', org_id, $team, any_value(plan),
    count(*) FILTER (seat_type = 'owner'), count(*) FILTER (seat_type = 'admin'), count(*) FILTER (seat_type = 'member'),
    count(*) FILTER (seat_type = 'multi_channel_guest'), count(*) FILTER (seat_type = 'single_channel_guest'), 0,
    count(*) FILTER (seat_type = 'invited'), count(*) FILTER (seat_type = 'bot'),
    count(*) FILTER (seat_type = 'deactivated'), count(*) FILTER (paid), count(*) FILTER (billing_active),
    count(*) FILTER (paid AND days <= 28), count(*) FILTER (paid AND (days > 28 OR days IS NULL)),
    count(*) FILTER (paid AND days IS NULL), coalesce(sum(price) FILTER (paid), 0),
    coalesce(sum(price) FILTER (paid AND (days > 28 OR days IS NULL)), 0),
    12 * coalesce(sum(price) FILTER (paid AND (days > 28 OR days IS NULL)), 0), 'USD', true, false,
    CASE WHEN org_id = 'T0GLOBEX' THEN 'Globex pays yearly: the waste is what the unused seats would save at renewal.' END, 28
FROM fx_people GROUP BY $group`

// fixtureHistory adds the earlier syncs' billing_account rows, scaled from
// the last sync's.
const fixtureHistory = `INSERT INTO seat_history (run_id, as_of, scope, org_id, plan, owners, admins, members,
    multi_channel_guests, single_channel_guests, billed_single_channel_guests, invited, bots, deactivated, paid_seats,
    slack_billable, estimated_billable, inactive_paid_seats, never_used_paid_seats, monthly_cost, monthly_waste,
    yearly_waste, currency, price_known, all_active_pattern, inactive_after_days)
SELECT f.run, h.as_of - to_days(7 * (6 - f.run)), 'billing_account', h.org_id, h.plan, h.owners, h.admins, h.members,
    h.multi_channel_guests, h.single_channel_guests, 0, h.invited, h.bots, h.deactivated, h.paid_seats,
    h.slack_billable, h.paid_seats - round(h.inactive_paid_seats * f.k)::BIGINT, round(h.inactive_paid_seats * f.k)::BIGINT,
    h.never_used_paid_seats, h.monthly_cost,
    CASE WHEN h.org_id = 'T0GLOBEX' AND f.run = 2 THEN 0 ELSE round(h.monthly_waste * f.k, 2) END,
    CASE WHEN h.org_id = 'T0GLOBEX' AND f.run = 2 THEN 0 ELSE round(12 * h.monthly_waste * f.k, 2) END,
    'USD', NOT (h.org_id = 'T0GLOBEX' AND f.run = 2), false, 28
FROM seat_history h, (VALUES (1, 0.72), (2, 0.8), (3, 0.9), (4, 1.12), (5, 1.05)) f(run, k)
WHERE h.run_id = 6 AND h.scope = 'billing_account' AND NOT (h.org_id = 'T0UMB' AND f.run < 3)`

// fixtureApps adds 36 apps across the four workspaces, of every risk level
// and status.
const fixtureApps = `INSERT INTO apps (team_id, kind, integration_id, app_id, name, status, risk_level, risk_reasons,
    installed_by, installed_at, installer_deactivated)
SELECT list_element(['T0ACME1', 'T0ACME2', 'T0GLOBEX', 'T0UMB'], 1 + i % 4), 'app', 'A' || lpad(i::VARCHAR, 3, '0'),
    'A' || lpad(i::VARCHAR, 3, '0'),
    list_element(['Asana', 'Salesforce', 'Trello', 'Zoom', 'Giphy', 'Jira Cloud', 'PagerDuty', 'Google Drive',
                  'GitHub', 'Polly'], 1 + i % 10) || CASE WHEN i >= 10 THEN ' ' || (i // 10 + 1) ELSE '' END,
    CASE i % 9 WHEN 0 THEN 'disabled' WHEN 4 THEN 'removed' ELSE 'installed' END,
    list_element(['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'unknown', 'none'], 1 + (i * 3) % 10),
    ['scope ' || list_element(['channels:history', 'chat:write', 'files:read', 'users:read'], 1 + i % 4)],
    'UE0ACME' || lpad((i * 11)::VARCHAR, 4, '0'), TIMESTAMPTZ '2026-06-01 09:00:00Z' + to_days(i * 3), i % 7 = 0
FROM range(36) t(i)`
