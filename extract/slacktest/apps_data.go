package slacktest

// The apps and legacy services a workspace can install, as
// team.integrationLogs and admin.apps.* describe them.

// catalogApp is an app a workspace can install.
type catalogApp struct {
	name      string
	vendor    string // web domain, for the app's URLs
	desc      string
	directory bool // listed in the Slack Marketplace (is_app_directory_approved)
	internal  bool // built by the org itself (developer_type internal)
	socket    bool // socket_mode_enabled
	bot, user []string
}

func sc(s ...string) []string { return s }

// appCatalog holds every app name botApps and appUserApps use (other than
// Workflow Builder, which is Slack's own), so that bot users and installed
// apps agree.
var appCatalog = []catalogApp{
	{name: "Google Drive", vendor: "google.com", desc: "Share and preview Google Drive files in Slack", directory: true,
		bot: sc("chat:write", "links:read", "links:write", "users:read", "users:read.email", "files:read"), user: sc("files:write")},
	{name: "Google Calendar", vendor: "google.com", desc: "Calendar reminders and status sync", directory: true,
		bot: sc("chat:write", "im:write", "users:read", "users:read.email"), user: sc("users.profile:write", "dnd:write")},
	{name: "Zoom", vendor: "zoom.us", desc: "Start Zoom meetings from Slack", directory: true,
		bot: sc("commands", "chat:write", "channels:read", "users:read", "users:read.email"), user: sc("calls:write", "users.profile:write")},
	{name: "Jira Cloud", vendor: "atlassian.com", desc: "Create and track Jira issues", directory: true,
		bot: sc("commands", "chat:write", "channels:read", "links:read", "links:write", "users:read", "users:read.email", "im:history"), user: sc("identify")},
	{name: "Confluence Cloud", vendor: "atlassian.com", desc: "Confluence page notifications and previews", directory: true,
		bot: sc("commands", "chat:write", "links:read", "links:write", "users:read")},
	{name: "Donut", vendor: "donut.com", desc: "Intros, onboarding and coffee chats", directory: true,
		bot: sc("bot", "channels:read", "chat:write", "groups:read", "im:write", "mpim:write", "users:read", "usergroups:read")},
	{name: "Polly", vendor: "polly.ai", desc: "Surveys and polls", directory: true,
		bot: sc("commands", "chat:write", "channels:read", "reactions:write", "users:read"), user: sc("chat:write:user")},
	{name: "Salesforce", vendor: "salesforce.com", desc: "Salesforce records and alerts in Slack", directory: true,
		bot: sc("chat:write", "channels:history", "groups:history", "im:history", "users:read.email", "files:read"), user: sc("search:read")},
	{name: "GitHub", vendor: "github.com", desc: "Pull requests, issues and deployments", directory: true,
		bot: sc("commands", "chat:write", "links:read", "links:write", "channels:read", "users:read"), user: sc("identify")},
	{name: "Loom", vendor: "loom.com", desc: "Video messages with previews", directory: true,
		bot: sc("links:read", "links:write", "chat:write"), user: sc("files:read")},
	{name: "PagerDuty", vendor: "pagerduty.com", desc: "Incident alerts and on-call", directory: true,
		bot: sc("commands", "chat:write", "channels:read", "channels:join", "users:read", "users:read.email", "usergroups:write")},
	{name: "Asana", vendor: "asana.com", desc: "Turn conversations into tasks", directory: true,
		bot: sc("commands", "chat:write", "links:read", "links:write", "users:read.email", "im:history")},
	{name: "Trello", vendor: "trello.com", desc: "Trello boards and cards", directory: true,
		bot: sc("commands", "chat:write", "links:read", "links:write", "users:read")},
	{name: "Giphy", vendor: "giphy.com", desc: "Animated GIFs", directory: true,
		bot: sc("commands", "chat:write"), user: sc("chat:write:user")},
	{name: "Notion", vendor: "notion.so", desc: "Notion page previews and notifications", directory: true,
		bot: sc("links:read", "links:write", "chat:write", "users:read", "users:read.email", "team:read")},
	{name: "Figma", vendor: "figma.com", desc: "Comments and file previews", directory: true,
		bot: sc("links:read", "links:write", "chat:write", "users:read.email")},
	{name: "Datadog", vendor: "datadoghq.com", desc: "Monitor alerts and graphs", directory: true,
		bot: sc("commands", "chat:write", "channels:read", "groups:read", "files:write", "incoming-webhook")},
	{name: "Sentry", vendor: "sentry.io", desc: "Error alerts", directory: true,
		bot: sc("commands", "chat:write", "links:read", "links:write", "channels:read", "users:read", "users:read.email")},
	{name: "Zendesk", vendor: "zendesk.com", desc: "Tickets in Slack", directory: true,
		bot: sc("commands", "chat:write", "channels:history", "users:read.email", "files:read")},
	{name: "HubSpot", vendor: "hubspot.com", desc: "CRM notifications", directory: true,
		bot: sc("commands", "chat:write", "users:read", "users:read.email", "channels:read")},
	{name: "Calendly", vendor: "calendly.com", desc: "Scheduling notifications", directory: true,
		bot: sc("commands", "chat:write", "users:read.email")},
	{name: "Geekbot", vendor: "geekbot.com", desc: "Asynchronous standups", directory: true,
		bot: sc("bot", "chat:write", "im:history", "im:write", "users:read", "users:read.email", "team:read")},
	{name: "Miro", vendor: "miro.com", desc: "Board previews", directory: true,
		bot: sc("links:read", "links:write", "chat:write")},
	{name: "Dropbox", vendor: "dropbox.com", desc: "Share Dropbox files", directory: true,
		bot: sc("links:read", "links:write", "chat:write"), user: sc("files:read", "files:write")},
	{name: "Box", vendor: "box.com", desc: "Share Box files", directory: true,
		bot: sc("commands", "links:read", "chat:write"), user: sc("files:read")},
	{name: "Microsoft OneDrive and SharePoint", vendor: "microsoft.com", desc: "Share Microsoft files", directory: true,
		bot: sc("links:read", "links:write", "chat:write", "users:read.email")},
	{name: "Opsgenie", vendor: "atlassian.com", desc: "Alerts and on-call schedules", directory: true,
		bot: sc("commands", "chat:write", "channels:read", "users:read.email")},
	{name: "CircleCI", vendor: "circleci.com", desc: "Build notifications", directory: true,
		bot: sc("chat:write", "incoming-webhook")},
	{name: "Lucidchart", vendor: "lucid.co", desc: "Diagram previews", directory: true,
		bot: sc("links:read", "links:write", "chat:write")},
	{name: "Simple Poll", vendor: "simplepoll.rocks", desc: "Polls and surveys", directory: true,
		bot: sc("commands", "chat:write", "reactions:write", "users:read")},
	{name: "Workday", vendor: "workday.com", desc: "Time off and approvals", directory: true,
		bot: sc("chat:write", "im:write", "users:read", "users:read.email")},
	{name: "Greenhouse", vendor: "greenhouse.io", desc: "Recruiting notifications", directory: true,
		bot: sc("chat:write", "users:read.email", "channels:read")},
	{name: "Lattice", vendor: "lattice.com", desc: "Feedback and praise", directory: true,
		bot: sc("commands", "chat:write", "users:read", "users:read.email", "emoji:read")},
	{name: "1Password", vendor: "1password.com", desc: "Vault activity alerts", directory: true,
		bot: sc("chat:write", "incoming-webhook")},
	{name: "Okta", vendor: "okta.com", desc: "Identity notifications and provisioning", directory: true,
		bot: sc("chat:write", "users:read", "users:read.email"), user: sc("admin", "admin.users:write")},
	{name: "DocuSign", vendor: "docusign.com", desc: "Envelope notifications", directory: true,
		bot: sc("commands", "chat:write", "users:read.email")},
	{name: "Tableau", vendor: "tableau.com", desc: "Dashboards and alerts", directory: true,
		bot: sc("chat:write", "files:write", "users:read.email")},
	{name: "Standuply", vendor: "standuply.com", desc: "Standups and retrospectives",
		bot: sc("bot", "channels:history", "groups:history", "im:history", "mpim:history", "chat:write", "users:read.email")},
	{name: "Slack Archive Exporter", vendor: "archive-exporter.example.net", desc: "Back up every conversation",
		user: sc("channels:history", "groups:history", "im:history", "mpim:history", "files:read", "search:read", "users:read.email")},
	{name: "Emoji Pack Uploader", vendor: "emojipacks.example.org", desc: "Bulk custom emoji", user: sc("emoji:read", "client")},
	{name: "Bulk Invite Helper", vendor: "invite-helper.example.com", desc: "Invite many people at once",
		user: sc("admin", "admin.users:write", "usergroups:write", "users:read.email")},

	// Built by the org (app users of appUserApps, and custom tools).
	{name: "Standup App", internal: true, socket: true, desc: "Daily standup prompts",
		bot: sc("chat:write", "im:write", "im:history", "users:read")},
	{name: "Onboarding Flow", internal: true, desc: "Welcome messages for new hires",
		bot: sc("chat:write", "im:write", "users:read", "channels:read")},
	{name: "Expense Approvals", internal: true, desc: "Approve expense reports",
		bot: sc("chat:write", "commands", "users:read.email")},
	{name: "IT Helpdesk", internal: true, socket: true, desc: "IT tickets from Slack",
		bot: sc("chat:write", "commands", "channels:history", "users:read.email", "files:read")},
	{name: "PTO Tracker", internal: true, desc: "Time-off calendar",
		bot: sc("chat:write", "users:read", "users.profile:write")},
	{name: "Deploy Bot", internal: true, socket: true, desc: "Deploys from chat",
		bot: sc("commands", "chat:write", "channels:read", "reactions:write")},
	{name: "Custom Integration XYZ", internal: true, desc: "Legacy internal integration",
		user: sc("client", "chat:write:user", "channels:history", "users:read")},
}

// legacyService is a classic integration (service_id, service_type).
type legacyService struct {
	name      string
	scope     string
	channel   bool // posts to a channel: entries carry channel
	rss       bool
	instances int // how many a workspace may have
}

var legacyServices = []legacyService{
	{name: "Incoming WebHooks", scope: "incoming-webhook", channel: true, instances: 3},
	{name: "Outgoing WebHooks", scope: "", instances: 1},
	{name: "RSS", scope: "incoming-webhook", channel: true, rss: true, instances: 2},
	{name: "Airbrake", scope: "incoming-webhook", channel: true, instances: 1},
	{name: "Bots", scope: "bot", instances: 2},
	{name: "Slash Commands", scope: "commands", instances: 1},
	{name: "Jenkins CI", scope: "incoming-webhook", channel: true, instances: 1},
}

// expansionScopes are what an app asks for when it expands its access.
var expansionScopes = []string{"channels:history", "groups:history", "users:read.email", "files:read", "im:history", "search:read", "reactions:write", "emoji:read"}

// unknownScopes are scope names newer than any client: they must be kept,
// not rejected.
var unknownScopes = []string{"ai.summaries:read", "huddles.transcripts:read", "lists:write.private"}

// scopeInfo describes a scope in admin.apps.* lists.
type scopeInfo struct {
	desc      string
	sensitive bool
}

var scopeInfos = map[string]scopeInfo{
	"admin":               {"Administer a workspace", true},
	"admin.users:write":   {"Manage users in an organization", true},
	"bot":                 {"Add the ability for people to direct message or mention the app", true},
	"calls:write":         {"Start and manage calls in a workspace", false},
	"channels:history":    {"View messages and other content in public channels", true},
	"channels:join":       {"Join public channels in a workspace", false},
	"channels:read":       {"View basic information about public channels in a workspace", false},
	"chat:write":          {"Send messages as the app", false},
	"chat:write:user":     {"Send messages on a user's behalf", true},
	"client":              {"Receive all events from a workspace in real time", true},
	"commands":            {"Add shortcuts and/or slash commands that people can use", false},
	"dnd:write":           {"Edit a user's Do Not Disturb settings", false},
	"emoji:read":          {"View custom emoji in a workspace", false},
	"files:read":          {"View files shared in channels and conversations", true},
	"files:write":         {"Upload, edit, and delete files", true},
	"groups:history":      {"View messages and other content in private channels", true},
	"groups:read":         {"View basic information about private channels", false},
	"identify":            {"View information about a user's identity", false},
	"im:history":          {"View messages and other content in direct messages", true},
	"im:write":            {"Start direct messages with people", false},
	"incoming-webhook":    {"Post messages to specific channels in Slack", false},
	"links:read":          {"View URLs in messages", false},
	"links:write":         {"Show previews of URLs in messages", false},
	"mpim:history":        {"View messages and other content in group direct messages", true},
	"mpim:write":          {"Start group direct messages with people", false},
	"reactions:write":     {"Add and edit emoji reactions", false},
	"search:read":         {"Search a workspace's content", true},
	"team:read":           {"View the name, email domain, and icon for a workspace", false},
	"usergroups:read":     {"View user groups in a workspace", false},
	"usergroups:write":    {"Create and manage user groups", true},
	"users.profile:write": {"Edit a user's profile information and status", false},
	"users:read":          {"View people in a workspace", false},
	"users:read.email":    {"View email addresses of people in a workspace", true},
}

// rssFeeds are feeds RSS integrations follow.
var rssFeeds = []struct{ title, url string }{
	{"Slack Engineering", "https://slack.engineering/feed/"},
	{"AWS Status", "https://status.aws.amazon.com/rss/all.rss"},
	{"Hacker News: Front Page", "https://hnrss.org/frontpage"},
	{"GitHub Blog", "https://github.blog/feed/"},
	{"Company News & Updates", "https://news.example.com/feed.xml?lang=en&format=rss"},
}

// disableReasons are the documented reasons of disabled entries.
var disableReasons = []string{"user", "rate_limits", "slack", "errors", "system"}
