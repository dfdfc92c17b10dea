package slacktest

// Tables behind the sign-in rows of team.accessLogs: where people sign in
// from (by time zone) and with what client.

// isp is an internet provider: its name as Slack reports it, the first
// octet of its IPv4 addresses and its IPv6 prefix (two groups, no colon).
type isp struct {
	name string
	v4   uint8
	v6   string
}

// geo is where people of a time zone sign in from.
type geo struct {
	country, region string
	isps            []isp
}

var (
	ispsUS = []isp{
		{"Comcast Cable Communications, LLC", 73, "2601:1c0"},
		{"AT&T Services, Inc.", 99, "2600:1700"},
		{"Verizon Business", 71, "2600:4040"},
		{"Charter Communications Inc", 24, "2603:8000"},
		{"T-Mobile USA, Inc.", 172, "2607:fb90"},
	}
	ispsGB = []isp{{"British Telecommunications PLC", 86, "2a00:23c8"}, {"Virgin Media Limited", 82, "2a02:c7f"}, {"Sky UK Limited", 90, "2a02:c7c"}}
	ispsDE = []isp{{"Deutsche Telekom AG", 87, "2003:e5"}, {"Vodafone GmbH", 88, "2a02:8108"}}
)

// tzGeo is indexed like timezones.
var tzGeo = []geo{
	{"US", "CA", ispsUS}, // America/Los_Angeles
	{"US", "CO", ispsUS}, // America/Denver
	{"US", "IL", ispsUS}, // America/Chicago
	{"US", "NY", ispsUS}, // America/New_York
	{"BR", "SP", []isp{{"Claro NXT Telecomunicacoes Ltda", 177, "2804:14d"}, {"Telefonica Brasil S.A", 187, "2804:7f0"}}},
	{"GB", "ENG", ispsGB},
	{"DE", "BE", ispsDE},
	{"SE", "AB", []isp{{"Telia Company AB", 81, "2001:2002"}, {"Bahnhof AB", 85, "2a03:8600"}}},
	{"GR", "I", []isp{{"Cosmote Mobile Telecommunications S.A.", 94, "2a02:587"}}},
	{"RU", "MOW", []isp{{"Rostelecom", 95, "2a03:d000"}, {"MTS PJSC", 176, "2a00:1fa0"}}},
	{"IN", "WB", []isp{{"Bharti Airtel Ltd.", 122, "2401:4900"}, {"Reliance Jio Infocomm Limited", 49, "2405:201"}}},
	{"CN", "SH", []isp{{"China Telecom", 114, "240e:388"}, {"China Unicom Shanghai Network", 112, "2408:8207"}}},
	{"JP", "13", []isp{{"NTT Communications Corporation", 153, "240b:10"}, {"KDDI Corporation", 106, "2001:268"}}},
	{"AU", "NSW", []isp{{"Telstra Corporation Ltd", 101, "2001:8004"}, {"TPG Telecom Limited", 110, "2001:4479"}}},
	{"NG", "LA", []isp{{"MTN Nigeria Communication Limited", 105, "2c0f:f4c0"}}},
	{"IE", "L", []isp{{"Eircom Limited", 86, "2001:bb6"}, {"Vodafone Ireland Limited", 89, "2a02:8084"}}},
	{"PL", "14", []isp{{"Orange Polska Spolka Akcyjna", 83, "2a01:110f"}}},
	{"ES", "MD", []isp{{"Telefonica de Espana SAU", 83, "2a0c:5a80"}}},
	{"FR", "IDF", []isp{{"Orange S.A.", 90, "2a01:cb00"}, {"Free SAS", 78, "2a01:e0a"}}},
	{"CA", "ON", []isp{{"Rogers Communications Canada Inc.", 99, "2607:fea8"}, {"Bell Canada", 70, "2001:1970"}}},
	{"SG", "01", []isp{{"Singapore Telecommunications Ltd", 116, "2406:3003"}}},
	{"US", "AZ", ispsUS}, // America/Phoenix
}

// userAgents are the clients of each device kind.
var userAgents = [...][]string{
	devDesktop: {
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/130.0.6723.152 Electron/33.2.0 Safari/537.36 Sonic Slack_SSB/4.41.105",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.40.126 Chrome/128.0.6613.186 Electron/32.2.0 Safari/537.36 Sonic Slack_SSB/4.40.126",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/130.0.6723.152 Electron/33.2.0 Safari/537.36 Sonic Slack_SSB/4.41.105",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.39.95 Chrome/126.0.6478.234 Electron/31.4.0 Safari/537.36 Sonic Slack_SSB/4.39.95",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/130.0.6723.152 Electron/33.2.0 Safari/537.36 Sonic Slack_SSB/4.41.105",
	},
	devWeb: {
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
	},
	devIOS: {
		"com.tinyspeck.chatlyio/24.11.10 (iPhone; iOS 18.1.1; Scale/3.00)",
		"com.tinyspeck.chatlyio/24.10.20 (iPhone; iOS 17.6.1; Scale/3.00)",
		"com.tinyspeck.chatlyio/24.11.10 (iPad; iOS 18.1; Scale/2.00)",
	},
	devAndroid: {
		"com.Slack/24.11.10.0 (Linux; U; Android 15; Pixel 8 Build/AP3A.241105.007)",
		"com.Slack/24.10.20.0 (Linux; U; Android 14; SM-S918B Build/UP1A.231005.007)",
		"com.Slack/24.11.10.0 (Linux; U; Android 13; moto g stylus 5G Build/T1TGS33.11)",
	},
}
