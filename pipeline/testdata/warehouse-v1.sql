CREATE TABLE IF NOT EXISTS "sync_runs" (
  "run_id" BIGINT,
  "started_at" TIMESTAMPTZ,
  "finished_at" TIMESTAMPTZ,
  "status" VARCHAR,
  "api_calls" BIGINT,
  "error" VARCHAR,
  "as_of" TIMESTAMPTZ,
  "mode" VARCHAR,
  "team_id" VARCHAR,
  "api_url" VARCHAR
);
COMMENT ON TABLE "sync_runs" IS 'One row per sync: when it ran, against what instant, and how it ended.';
COMMENT ON COLUMN "sync_runs"."run_id" IS 'Sync number, increasing by one per sync of this warehouse.';
COMMENT ON COLUMN "sync_runs"."started_at" IS 'When the sync started (UTC).';
COMMENT ON COLUMN "sync_runs"."finished_at" IS 'When the sync ended, successfully or not; NULL while running or if the process died.';
COMMENT ON COLUMN "sync_runs"."status" IS 'running, succeeded, failed, or interrupted (the process stopped before recording an outcome).';
COMMENT ON COLUMN "sync_runs"."api_calls" IS 'Slack Web API requests made, including retries after rate limits.';
COMMENT ON COLUMN "sync_runs"."error" IS 'Why the sync failed; NULL when it succeeded.';
COMMENT ON COLUMN "sync_runs"."as_of" IS 'The instant every derived value (last use, inactivity windows) is computed against.';
COMMENT ON COLUMN "sync_runs"."mode" IS 'Connection mode: pro, business_plus, grid_workspace or grid_org.';
COMMENT ON COLUMN "sync_runs"."team_id" IS 'Workspace (T…) or enterprise (E…) the token belongs to.';
COMMENT ON COLUMN "sync_runs"."api_url" IS 'Slack Web API base URL used (the token is never stored).';
CREATE TABLE IF NOT EXISTS "source_status" (
  "run_id" BIGINT,
  "team_id" VARCHAR,
  "source" VARCHAR,
  "status" VARCHAR,
  "reason" VARCHAR,
  "rows" BIGINT,
  "unlock" VARCHAR,
  "duplicates" BIGINT
);
COMMENT ON TABLE "source_status" IS 'Per sync and workspace, whether each data set could be read and, if not, why and what would unlock it.';
COMMENT ON COLUMN "source_status"."run_id" IS 'The sync (sync_runs.run_id).';
COMMENT ON COLUMN "source_status"."team_id" IS 'Workspace (T…) or enterprise (E…) the data set was read for.';
COMMENT ON COLUMN "source_status"."source" IS 'Data set name, e.g. users, billable_info, access_logs.';
COMMENT ON COLUMN "source_status"."status" IS 'ok, unavailable (plan, scope or token type does not allow it), or failed.';
COMMENT ON COLUMN "source_status"."reason" IS 'Why the data set is unavailable or failed, naming the Slack method and error.';
COMMENT ON COLUMN "source_status"."rows" IS 'Rows landed for this data set.';
COMMENT ON COLUMN "source_status"."unlock" IS 'What would make the data set available (a plan, a scope, a token type); NULL when ok.';
COMMENT ON COLUMN "source_status"."duplicates" IS 'Records Slack listed more than once (a page sent twice, an entry shifted onto the next page), dropped so each landed once; 0 when none, NULL for syncs before this column.';
CREATE TABLE IF NOT EXISTS "workspaces" (
  "team_id" VARCHAR,
  "name" VARCHAR,
  "domain" VARCHAR,
  "email_domain" VARCHAR,
  "enterprise_id" VARCHAR,
  "enterprise_name" VARCHAR,
  "plan" VARCHAR,
  "plan_code" VARCHAR
);
COMMENT ON TABLE "workspaces" IS 'Each Slack workspace synced, with its enterprise and plan (team.info, team.billing.info).';
COMMENT ON COLUMN "workspaces"."team_id" IS 'Workspace ID (T…).';
COMMENT ON COLUMN "workspaces"."name" IS 'Workspace name.';
COMMENT ON COLUMN "workspaces"."domain" IS 'Workspace subdomain: <domain>.slack.com.';
COMMENT ON COLUMN "workspaces"."email_domain" IS 'Email domain(s) allowed to sign up, comma separated; may be empty.';
COMMENT ON COLUMN "workspaces"."enterprise_id" IS 'Enterprise Grid organisation ID (E…); NULL outside Grid.';
COMMENT ON COLUMN "workspaces"."enterprise_name" IS 'Enterprise Grid organisation name; NULL outside Grid.';
COMMENT ON COLUMN "workspaces"."plan" IS 'free, pro, business_plus, enterprise or compliance.';
COMMENT ON COLUMN "workspaces"."plan_code" IS 'The plan code Slack''s team.billing.info returned (free, std, plus, enterprise, compliance).';
CREATE TABLE IF NOT EXISTS "users" (
  "team_id" VARCHAR,
  "user_id" VARCHAR,
  "name" VARCHAR,
  "real_name" VARCHAR,
  "display_name" VARCHAR,
  "email" VARCHAR,
  "title" VARCHAR,
  "tz" VARCHAR,
  "is_admin" BOOLEAN,
  "is_owner" BOOLEAN,
  "is_primary_owner" BOOLEAN,
  "is_restricted" BOOLEAN,
  "is_ultra_restricted" BOOLEAN,
  "is_bot" BOOLEAN,
  "is_app_user" BOOLEAN,
  "is_invited_user" BOOLEAN,
  "deleted" BOOLEAN,
  "has_2fa" BOOLEAN,
  "profile_updated_at" TIMESTAMPTZ,
  "enterprise_id" VARCHAR
);
COMMENT ON TABLE "users" IS 'Every account in each workspace as users.list reports it: people, guests, bots, pending invites and deactivated accounts.';
COMMENT ON COLUMN "users"."team_id" IS 'Workspace the account was listed in (T…).';
COMMENT ON COLUMN "users"."user_id" IS 'Slack user ID (U… or W… on Enterprise Grid); USLACKBOT is Slackbot.';
COMMENT ON COLUMN "users"."name" IS 'Handle (users.list name); not the display name.';
COMMENT ON COLUMN "users"."real_name" IS 'Full name from the profile.';
COMMENT ON COLUMN "users"."display_name" IS 'Display name from the profile; often empty.';
COMMENT ON COLUMN "users"."email" IS 'Email address; NULL for bots, or when the token lacks users:read.email.';
COMMENT ON COLUMN "users"."title" IS 'Job title from the profile.';
COMMENT ON COLUMN "users"."tz" IS 'Time zone name, e.g. Europe/Paris.';
COMMENT ON COLUMN "users"."is_admin" IS 'Workspace Admin (owners are admins too).';
COMMENT ON COLUMN "users"."is_owner" IS 'Workspace Owner.';
COMMENT ON COLUMN "users"."is_primary_owner" IS 'The Primary Owner: exactly one per workspace; cannot be removed or deactivated.';
COMMENT ON COLUMN "users"."is_restricted" IS 'Guest: true for multi-channel guests and for single-channel guests.';
COMMENT ON COLUMN "users"."is_ultra_restricted" IS 'Single-channel guest (free seats on paid plans, up to 5 per paid member).';
COMMENT ON COLUMN "users"."is_bot" IS 'Bot account. Slackbot is listed with is_bot false; see user_id USLACKBOT.';
COMMENT ON COLUMN "users"."is_app_user" IS 'Account that belongs to an app or workflow rather than a person.';
COMMENT ON COLUMN "users"."is_invited_user" IS 'Invitation sent but not yet accepted; not billed until accepted.';
COMMENT ON COLUMN "users"."deleted" IS 'Deactivated account (Slack''s users.list deleted flag); deactivated accounts are not billed.';
COMMENT ON COLUMN "users"."has_2fa" IS 'Two-factor authentication enabled; NULL when Slack did not say.';
COMMENT ON COLUMN "users"."profile_updated_at" IS 'When the profile last changed (users.list updated). Not a sign of activity.';
COMMENT ON COLUMN "users"."enterprise_id" IS 'Enterprise Grid organisation of the account (enterprise_user.enterprise_id); NULL outside Grid.';
CREATE TABLE IF NOT EXISTS "billable_info" (
  "team_id" VARCHAR,
  "user_id" VARCHAR,
  "billing_active" BOOLEAN
);
COMMENT ON TABLE "billable_info" IS 'Slack''s own billing flag per account (team.billableInfo). It is recomputed periodically and often reads true for nearly everyone.';
COMMENT ON COLUMN "billable_info"."team_id" IS 'Workspace (T…).';
COMMENT ON COLUMN "billable_info"."user_id" IS 'Slack user ID.';
COMMENT ON COLUMN "billable_info"."billing_active" IS 'Slack says it bills this account under the Fair Billing Policy.';
CREATE TABLE IF NOT EXISTS "org_users" (
  "enterprise_id" VARCHAR,
  "user_id" VARCHAR,
  "email" VARCHAR,
  "username" VARCHAR,
  "full_name" VARCHAR,
  "is_active" BOOLEAN,
  "is_admin" BOOLEAN,
  "is_owner" BOOLEAN,
  "is_primary_owner" BOOLEAN,
  "is_restricted" BOOLEAN,
  "is_ultra_restricted" BOOLEAN,
  "is_bot" BOOLEAN,
  "has_2fa" BOOLEAN,
  "has_sso" BOOLEAN,
  "last_active_at" TIMESTAMPTZ,
  "created_at" TIMESTAMPTZ,
  "deactivated_at" TIMESTAMPTZ,
  "expires_at" TIMESTAMPTZ,
  "workspaces" VARCHAR[],
  "roles" VARCHAR[]
);
COMMENT ON TABLE "org_users" IS 'Every account of an Enterprise Grid organisation as admin.users.list reports it (org-level token), with Slack''s last-active time.';
COMMENT ON COLUMN "org_users"."enterprise_id" IS 'Enterprise Grid organisation (E…): the billing account.';
COMMENT ON COLUMN "org_users"."user_id" IS 'Slack user ID (W…), the same in every workspace of the organisation.';
COMMENT ON COLUMN "org_users"."email" IS 'Email address; NULL for bots or when the organisation hides emails.';
COMMENT ON COLUMN "org_users"."username" IS 'Handle.';
COMMENT ON COLUMN "org_users"."full_name" IS 'Full name.';
COMMENT ON COLUMN "org_users"."is_active" IS 'False for deactivated accounts.';
COMMENT ON COLUMN "org_users"."is_admin" IS 'Org or workspace Admin.';
COMMENT ON COLUMN "org_users"."is_owner" IS 'Org or workspace Owner.';
COMMENT ON COLUMN "org_users"."is_primary_owner" IS 'The organisation''s Primary Owner.';
COMMENT ON COLUMN "org_users"."is_restricted" IS 'Guest (multi- or single-channel).';
COMMENT ON COLUMN "org_users"."is_ultra_restricted" IS 'Single-channel guest.';
COMMENT ON COLUMN "org_users"."is_bot" IS 'Bot account.';
COMMENT ON COLUMN "org_users"."has_2fa" IS 'Two-factor authentication enabled.';
COMMENT ON COLUMN "org_users"."has_sso" IS 'Signs in through SSO.';
COMMENT ON COLUMN "org_users"."last_active_at" IS 'Slack''s last_active_ts: the last time the account was active anywhere in the organisation; NULL if never.';
COMMENT ON COLUMN "org_users"."created_at" IS 'When the account was created.';
COMMENT ON COLUMN "org_users"."deactivated_at" IS 'When the account was deactivated; NULL if active.';
COMMENT ON COLUMN "org_users"."expires_at" IS 'When a guest account expires; NULL if it does not.';
COMMENT ON COLUMN "org_users"."workspaces" IS 'Workspaces (T…) the account belongs to. One person in five workspaces still holds one seat.';
COMMENT ON COLUMN "org_users"."roles" IS 'Admin roles Slack lists for the account.';
CREATE TABLE IF NOT EXISTS "access_logs" (
  "team_id" VARCHAR,
  "user_id" VARCHAR,
  "username" VARCHAR,
  "ip" VARCHAR,
  "user_agent" VARCHAR,
  "isp" VARCHAR,
  "country" VARCHAR,
  "region" VARCHAR,
  "count" BIGINT,
  "first_seen_at" TIMESTAMPTZ,
  "last_seen_at" TIMESTAMPTZ
);
COMMENT ON TABLE "access_logs" IS 'Slack''s whole sign-in log (team.accessLogs): one row per user, IP address and user agent, not one per sign-in.';
COMMENT ON COLUMN "access_logs"."team_id" IS 'Workspace (T…).';
COMMENT ON COLUMN "access_logs"."user_id" IS 'Slack user ID.';
COMMENT ON COLUMN "access_logs"."username" IS 'Handle at the time of the sign-in.';
COMMENT ON COLUMN "access_logs"."ip" IS 'IP address (v4 or v6).';
COMMENT ON COLUMN "access_logs"."user_agent" IS 'Client user agent: desktop app, browser, iOS or Android app.';
COMMENT ON COLUMN "access_logs"."isp" IS 'Internet provider, when Slack knows it.';
COMMENT ON COLUMN "access_logs"."country" IS 'Country code, when Slack knows it.';
COMMENT ON COLUMN "access_logs"."region" IS 'Region, when Slack knows it.';
COMMENT ON COLUMN "access_logs"."count" IS 'How many times Slack saw this user, IP and user agent together.';
COMMENT ON COLUMN "access_logs"."first_seen_at" IS 'First time this combination was seen (Slack''s date_first).';
COMMENT ON COLUMN "access_logs"."last_seen_at" IS 'Last time this combination was seen (Slack''s date_last).';
CREATE TABLE IF NOT EXISTS "member_activity" (
  "date" DATE,
  "enterprise_id" VARCHAR,
  "team_id" VARCHAR,
  "user_id" VARCHAR,
  "email" VARCHAR,
  "is_guest" BOOLEAN,
  "is_billable_seat" BOOLEAN,
  "is_active" BOOLEAN,
  "is_active_ios" BOOLEAN,
  "is_active_android" BOOLEAN,
  "is_active_desktop" BOOLEAN,
  "is_active_apps" BOOLEAN,
  "is_active_workflows" BOOLEAN,
  "is_active_slack_connect" BOOLEAN,
  "messages_posted" BIGINT,
  "channel_messages_posted" BIGINT,
  "reactions_added" BIGINT,
  "files_added" BIGINT,
  "calls" BIGINT,
  "slack_calls" BIGINT,
  "huddles" BIGINT,
  "searches" BIGINT
);
COMMENT ON TABLE "member_activity" IS 'Daily member analytics (admin.analytics.getFile, Enterprise Grid): one row per person per UTC day. Kept across syncs; each day is fetched once.';
COMMENT ON COLUMN "member_activity"."date" IS 'UTC day the row describes.';
COMMENT ON COLUMN "member_activity"."enterprise_id" IS 'Enterprise Grid organisation (E…).';
COMMENT ON COLUMN "member_activity"."team_id" IS 'The person''s workspace in the file (T…).';
COMMENT ON COLUMN "member_activity"."user_id" IS 'Slack user ID (W…).';
COMMENT ON COLUMN "member_activity"."email" IS 'Email address; NULL when the organisation hides emails.';
COMMENT ON COLUMN "member_activity"."is_guest" IS 'Guest account.';
COMMENT ON COLUMN "member_activity"."is_billable_seat" IS 'Slack counted the account as a billable seat that day.';
COMMENT ON COLUMN "member_activity"."is_active" IS 'Active that day: Slack''s definition, any client or API use.';
COMMENT ON COLUMN "member_activity"."is_active_ios" IS 'Active on the iOS app that day.';
COMMENT ON COLUMN "member_activity"."is_active_android" IS 'Active on the Android app that day.';
COMMENT ON COLUMN "member_activity"."is_active_desktop" IS 'Active on the desktop app that day.';
COMMENT ON COLUMN "member_activity"."is_active_apps" IS 'Used apps or integrations that day.';
COMMENT ON COLUMN "member_activity"."is_active_workflows" IS 'Used workflows that day.';
COMMENT ON COLUMN "member_activity"."is_active_slack_connect" IS 'Active in Slack Connect channels that day.';
COMMENT ON COLUMN "member_activity"."messages_posted" IS 'Messages posted anywhere (messages_posted_count).';
COMMENT ON COLUMN "member_activity"."channel_messages_posted" IS 'Messages posted in channels (channel_messages_posted_count).';
COMMENT ON COLUMN "member_activity"."reactions_added" IS 'Reactions added (reactions_added_count).';
COMMENT ON COLUMN "member_activity"."files_added" IS 'Files added (files_added_count).';
COMMENT ON COLUMN "member_activity"."calls" IS 'Calls joined, Slack or third-party (total_calls_count).';
COMMENT ON COLUMN "member_activity"."slack_calls" IS 'Slack calls joined (slack_calls_count).';
COMMENT ON COLUMN "member_activity"."huddles" IS 'Huddles joined (slack_huddles_count).';
COMMENT ON COLUMN "member_activity"."searches" IS 'Searches run (search_count).';
CREATE TABLE IF NOT EXISTS "user_groups" (
  "team_id" VARCHAR,
  "group_id" VARCHAR,
  "handle" VARCHAR,
  "name" VARCHAR,
  "description" VARCHAR,
  "auto_type" VARCHAR,
  "is_external" BOOLEAN,
  "is_disabled" BOOLEAN,
  "user_count" BIGINT,
  "members" VARCHAR[],
  "created_at" TIMESTAMPTZ,
  "updated_at" TIMESTAMPTZ,
  "disabled_at" TIMESTAMPTZ,
  "created_by" VARCHAR,
  "updated_by" VARCHAR
);
COMMENT ON TABLE "user_groups" IS 'usergroups.list: each workspace''s user groups (@handles) with their members, disabled groups included.';
COMMENT ON COLUMN "user_groups"."team_id" IS 'Workspace.';
COMMENT ON COLUMN "user_groups"."group_id" IS 'User group ID (S…).';
COMMENT ON COLUMN "user_groups"."handle" IS 'The @handle people mention.';
COMMENT ON COLUMN "user_groups"."name" IS 'Display name.';
COMMENT ON COLUMN "user_groups"."description" IS 'Description.';
COMMENT ON COLUMN "user_groups"."auto_type" IS 'admin or owner for groups Slack keeps itself; NULL for groups people made.';
COMMENT ON COLUMN "user_groups"."is_external" IS 'Shared from another organisation.';
COMMENT ON COLUMN "user_groups"."is_disabled" IS 'Disabled (date_delete set): kept by Slack, mentions do nothing.';
COMMENT ON COLUMN "user_groups"."user_count" IS 'Members Slack counts (sent as a string in Slack''s documentation, a number elsewhere).';
COMMENT ON COLUMN "user_groups"."members" IS 'Member user IDs; unnest(members), or the user_group_members view, for one row each.';
COMMENT ON COLUMN "user_groups"."created_at" IS 'When the group was made.';
COMMENT ON COLUMN "user_groups"."updated_at" IS 'When it last changed.';
COMMENT ON COLUMN "user_groups"."disabled_at" IS 'When it was disabled.';
COMMENT ON COLUMN "user_groups"."created_by" IS 'Who made it.';
COMMENT ON COLUMN "user_groups"."updated_by" IS 'Who changed it last.';
CREATE TABLE IF NOT EXISTS "user_usage" (
  "org_id" VARCHAR,
  "user_id" VARCHAR,
  "last_used_at" TIMESTAMPTZ,
  "last_used_source" VARCHAR,
  "days_since_last_use" INTEGER,
  "active_days_7" INTEGER,
  "active_days_28" INTEGER,
  "active_days_30" INTEGER,
  "active_days_90" INTEGER,
  "sign_ins" BIGINT,
  "usage_frequency" VARCHAR,
  "frequency_estimated" BOOLEAN
);
COMMENT ON TABLE "user_usage" IS 'Each person''s last use of Slack and how often they use it, per billing account, computed at the sync''s as_of from every signal the plan offers.';
COMMENT ON COLUMN "user_usage"."org_id" IS 'Billing account: the enterprise (E…) on Enterprise Grid, otherwise the workspace (T…).';
COMMENT ON COLUMN "user_usage"."user_id" IS 'Slack user ID.';
COMMENT ON COLUMN "user_usage"."last_used_at" IS 'Latest sign of use: an active analytics day (its start), a sign-in''s last_seen_at, or Slack''s last_active_ts; NULL if none.';
COMMENT ON COLUMN "user_usage"."last_used_source" IS 'Which signal gave last_used_at: member_analytics, access_logs or last_active_ts.';
COMMENT ON COLUMN "user_usage"."days_since_last_use" IS 'Whole days from last_used_at to the sync''s as_of.';
COMMENT ON COLUMN "user_usage"."active_days_7" IS 'Days active in the 7 days up to as_of (member analytics); NULL without analytics.';
COMMENT ON COLUMN "user_usage"."active_days_28" IS 'Days active in the 28 days up to as_of (member analytics); NULL without analytics.';
COMMENT ON COLUMN "user_usage"."active_days_30" IS 'Days active in the 30 days up to as_of (member analytics); NULL without analytics.';
COMMENT ON COLUMN "user_usage"."active_days_90" IS 'Days active in the 90 days up to as_of (member analytics); NULL without analytics.';
COMMENT ON COLUMN "user_usage"."sign_ins" IS 'Sign-ins Slack counted across the person''s rows of the sign-in log; NULL if none.';
COMMENT ON COLUMN "user_usage"."usage_frequency" IS 'daily (16+ of the last 28 days), weekly (4–15), monthly (1–3), dormant (used before, not in 28 days) or never.';
COMMENT ON COLUMN "user_usage"."frequency_estimated" IS 'True when frequency was estimated from sign-in counts or last_active_ts because no daily analytics exist.';
CREATE TABLE IF NOT EXISTS "app_events" (
  "team_id" VARCHAR,
  "position" BIGINT,
  "kind" VARCHAR,
  "integration_id" VARCHAR,
  "app_id" VARCHAR,
  "app_type" VARCHAR,
  "service_id" VARCHAR,
  "service_type" VARCHAR,
  "user_id" VARCHAR,
  "user_name" VARCHAR,
  "channel" VARCHAR,
  "changed_at" TIMESTAMPTZ,
  "change_type" VARCHAR,
  "scope" VARCHAR,
  "reason" VARCHAR,
  "rss_feed" BOOLEAN,
  "rss_feed_change_type" VARCHAR,
  "rss_feed_title" VARCHAR,
  "rss_feed_url" VARCHAR
);
COMMENT ON TABLE "app_events" IS 'team.integrationLogs: every app and legacy-integration change of each workspace, as Slack sent it (change types and scopes Slack adds later are kept as they came).';
COMMENT ON COLUMN "app_events"."team_id" IS 'Workspace.';
COMMENT ON COLUMN "app_events"."position" IS 'Place in Slack''s newest-first listing, 0 the newest: orders entries made in the same second.';
COMMENT ON COLUMN "app_events"."kind" IS 'app (app_id, app_type) or service (a legacy custom integration: service_id, service_type).';
COMMENT ON COLUMN "app_events"."integration_id" IS 'app_id for apps, service_id for legacy services.';
COMMENT ON COLUMN "app_events"."app_id" IS 'Slack app ID (A…); NULL for legacy services.';
COMMENT ON COLUMN "app_events"."app_type" IS 'The app''s name as the log gives it.';
COMMENT ON COLUMN "app_events"."service_id" IS 'Legacy service instance ID (numeric); NULL for apps.';
COMMENT ON COLUMN "app_events"."service_type" IS 'Legacy service name, e.g. Incoming WebHooks, RSS, Airbrake.';
COMMENT ON COLUMN "app_events"."user_id" IS 'Who made the change (the account may be deactivated since).';
COMMENT ON COLUMN "app_events"."user_name" IS 'That person''s username at the time.';
COMMENT ON COLUMN "app_events"."channel" IS 'Channel a webhook or service posts to.';
COMMENT ON COLUMN "app_events"."changed_at" IS 'When the change was made (Slack''s date, epoch seconds in a string).';
COMMENT ON COLUMN "app_events"."change_type" IS 'added, removed, enabled, disabled, updated, expanded, or a newer value Slack has not documented.';
COMMENT ON COLUMN "app_events"."scope" IS 'Scopes granted, comma-separated as Slack sends them (string_split(scope, '','') for a list).';
COMMENT ON COLUMN "app_events"."reason" IS 'Why a disabled entry was disabled: user, rate_limits, slack, errors, system or newer values.';
COMMENT ON COLUMN "app_events"."rss_feed" IS 'An RSS feed change.';
COMMENT ON COLUMN "app_events"."rss_feed_change_type" IS 'added or removed, for RSS entries.';
COMMENT ON COLUMN "app_events"."rss_feed_title" IS 'The feed''s title.';
COMMENT ON COLUMN "app_events"."rss_feed_url" IS 'The feed''s URL.';
CREATE TABLE IF NOT EXISTS "apps" (
  "team_id" VARCHAR,
  "kind" VARCHAR,
  "integration_id" VARCHAR,
  "app_id" VARCHAR,
  "service_id" VARCHAR,
  "name" VARCHAR,
  "status" VARCHAR,
  "scopes" VARCHAR[],
  "risk_level" VARCHAR,
  "risk_reasons" VARCHAR[],
  "user_scopes" VARCHAR[],
  "unknown_scopes" VARCHAR[],
  "sensitive_scopes" VARCHAR[],
  "installed_by" VARCHAR,
  "installed_by_name" VARCHAR,
  "installed_at" TIMESTAMPTZ,
  "installer_deactivated" BOOLEAN,
  "last_change_at" TIMESTAMPTZ,
  "last_change_type" VARCHAR,
  "last_change_by" VARCHAR,
  "last_change_by_name" VARCHAR,
  "disabled_reason" VARCHAR,
  "channel" VARCHAR,
  "changes" BIGINT,
  "unknown_changes" BIGINT,
  "developer_type" VARCHAR,
  "directory_approved" BOOLEAN,
  "admin_status" VARCHAR,
  "risk_table_version" VARCHAR
);
COMMENT ON TABLE "apps" IS 'One row per app or legacy integration per workspace: the integration log replayed in time order into its current status, scopes, installer and risk, enriched by Enterprise Grid app management where it could be read.';
COMMENT ON COLUMN "apps"."team_id" IS 'Workspace.';
COMMENT ON COLUMN "apps"."kind" IS 'app or service (legacy custom integration).';
COMMENT ON COLUMN "apps"."integration_id" IS 'app_id for apps, service_id for legacy services: the key with team_id.';
COMMENT ON COLUMN "apps"."app_id" IS 'Slack app ID; NULL for legacy services.';
COMMENT ON COLUMN "apps"."service_id" IS 'Legacy service instance ID; NULL for apps.';
COMMENT ON COLUMN "apps"."name" IS 'Name from app management where known, else from the newest log entry.';
COMMENT ON COLUMN "apps"."status" IS 'installed, disabled or removed, after the newest documented change.';
COMMENT ON COLUMN "apps"."scopes" IS 'Scopes held now: those granted by the newest install and any expansion or update since; empty once removed.';
COMMENT ON COLUMN "apps"."risk_level" IS 'critical, high, medium, low, none (no scopes) or unknown (only scopes the risk table does not know): the riskiest scope, raised one step for user-token scopes and one for apps not approved in the Slack Marketplace.';
COMMENT ON COLUMN "apps"."risk_reasons" IS 'Why, in words: the riskiest scopes, each raise, unknown scopes and change types, an orphaned install.';
COMMENT ON COLUMN "apps"."user_scopes" IS 'Scopes held through a user token: the app acts as the person who installed it.';
COMMENT ON COLUMN "apps"."unknown_scopes" IS 'Scopes the risk table does not know, kept and rated unknown.';
COMMENT ON COLUMN "apps"."sensitive_scopes" IS 'Scopes Slack''s app management marks is_sensitive; NULL when app management could not be read.';
COMMENT ON COLUMN "apps"."installed_by" IS 'User who made the newest install (added entry); NULL when it predates the log.';
COMMENT ON COLUMN "apps"."installed_by_name" IS 'That user''s username at the time.';
COMMENT ON COLUMN "apps"."installed_at" IS 'When the newest install was made.';
COMMENT ON COLUMN "apps"."installer_deactivated" IS 'The installer''s account is deactivated now: an orphaned install nobody answers for. NULL when the installer is not in any member list synced.';
COMMENT ON COLUMN "apps"."last_change_at" IS 'Newest log entry.';
COMMENT ON COLUMN "apps"."last_change_type" IS 'Its change_type (possibly one Slack has not documented).';
COMMENT ON COLUMN "apps"."last_change_by" IS 'Who made it.';
COMMENT ON COLUMN "apps"."last_change_by_name" IS 'Their username at the time.';
COMMENT ON COLUMN "apps"."disabled_reason" IS 'For disabled apps, the reason Slack gave.';
COMMENT ON COLUMN "apps"."channel" IS 'Channel a webhook or service posts to.';
COMMENT ON COLUMN "apps"."changes" IS 'Log entries for this app.';
COMMENT ON COLUMN "apps"."unknown_changes" IS 'Entries with a change_type Slack has not documented (kept in app_events; they change neither status nor installer).';
COMMENT ON COLUMN "apps"."developer_type" IS 'third_party or internal, from app management; NULL when unknown.';
COMMENT ON COLUMN "apps"."directory_approved" IS 'Approved in the Slack Marketplace (is_app_directory_approved); NULL when unknown.';
COMMENT ON COLUMN "apps"."admin_status" IS 'approved or restricted by the organisation''s admins for this workspace; NULL when not listed or not readable.';
COMMENT ON COLUMN "apps"."risk_table_version" IS 'Version of the scope → risk table that rated the app.';
CREATE TABLE IF NOT EXISTS "app_directory" (
  "team_id" VARCHAR,
  "list" VARCHAR,
  "app_id" VARCHAR,
  "name" VARCHAR,
  "description" VARCHAR,
  "developer_type" VARCHAR,
  "is_app_directory_approved" BOOLEAN,
  "is_internal" BOOLEAN,
  "socket_mode_enabled" BOOLEAN,
  "app_directory_url" VARCHAR,
  "scopes" VARCHAR[],
  "sensitive_scopes" VARCHAR[],
  "user_scopes" VARCHAR[],
  "updated_at" TIMESTAMPTZ,
  "resolved_by" VARCHAR
);
COMMENT ON TABLE "app_directory" IS 'Enterprise Grid app management (admin.apps.approved.list and restricted.list): apps admins approved or restricted, per workspace.';
COMMENT ON COLUMN "app_directory"."team_id" IS 'Workspace the decision applies to.';
COMMENT ON COLUMN "app_directory"."list" IS 'approved or restricted.';
COMMENT ON COLUMN "app_directory"."app_id" IS 'Slack app ID.';
COMMENT ON COLUMN "app_directory"."name" IS 'App name.';
COMMENT ON COLUMN "app_directory"."description" IS 'What the app says it does.';
COMMENT ON COLUMN "app_directory"."developer_type" IS 'third_party or internal.';
COMMENT ON COLUMN "app_directory"."is_app_directory_approved" IS 'Approved in the Slack Marketplace.';
COMMENT ON COLUMN "app_directory"."is_internal" IS 'Built by the organisation.';
COMMENT ON COLUMN "app_directory"."socket_mode_enabled" IS 'Uses Socket Mode (no public request URL).';
COMMENT ON COLUMN "app_directory"."app_directory_url" IS 'Marketplace page.';
COMMENT ON COLUMN "app_directory"."scopes" IS 'Scopes the decision covers.';
COMMENT ON COLUMN "app_directory"."sensitive_scopes" IS 'Those Slack marks is_sensitive.';
COMMENT ON COLUMN "app_directory"."user_scopes" IS 'Those granted to a user token.';
COMMENT ON COLUMN "app_directory"."updated_at" IS 'When the decision was made (date_updated).';
COMMENT ON COLUMN "app_directory"."resolved_by" IS 'Who made it (last_resolved_by.actor_id).';
CREATE TABLE IF NOT EXISTS "app_requests" (
  "request_id" VARCHAR,
  "team_id" VARCHAR,
  "team_name" VARCHAR,
  "app_id" VARCHAR,
  "app_name" VARCHAR,
  "developer_type" VARCHAR,
  "is_app_directory_approved" BOOLEAN,
  "user_id" VARCHAR,
  "user_name" VARCHAR,
  "user_email" VARCHAR,
  "message" VARCHAR,
  "scopes" VARCHAR[],
  "sensitive_scopes" VARCHAR[],
  "previously_restricted" BOOLEAN,
  "is_user_app_collaborator" BOOLEAN,
  "requested_at" TIMESTAMPTZ
);
COMMENT ON TABLE "app_requests" IS 'Pending requests to install apps (admin.apps.requests.list), Enterprise Grid.';
COMMENT ON COLUMN "app_requests"."request_id" IS 'Request ID.';
COMMENT ON COLUMN "app_requests"."team_id" IS 'Workspace the app is asked for.';
COMMENT ON COLUMN "app_requests"."team_name" IS 'Its name.';
COMMENT ON COLUMN "app_requests"."app_id" IS 'Slack app ID.';
COMMENT ON COLUMN "app_requests"."app_name" IS 'App name.';
COMMENT ON COLUMN "app_requests"."developer_type" IS 'third_party or internal.';
COMMENT ON COLUMN "app_requests"."is_app_directory_approved" IS 'Approved in the Slack Marketplace.';
COMMENT ON COLUMN "app_requests"."user_id" IS 'Who asked.';
COMMENT ON COLUMN "app_requests"."user_name" IS 'Their name.';
COMMENT ON COLUMN "app_requests"."user_email" IS 'Their email.';
COMMENT ON COLUMN "app_requests"."message" IS 'What they wrote.';
COMMENT ON COLUMN "app_requests"."scopes" IS 'Scopes the app asks for.';
COMMENT ON COLUMN "app_requests"."sensitive_scopes" IS 'Those Slack marks is_sensitive.';
COMMENT ON COLUMN "app_requests"."previously_restricted" IS 'Admins restricted the app before (previous_resolution).';
COMMENT ON COLUMN "app_requests"."is_user_app_collaborator" IS 'The requester helps build the app.';
COMMENT ON COLUMN "app_requests"."requested_at" IS 'When the request was made.';
CREATE TABLE IF NOT EXISTS "licenses" (
  "org_id" VARCHAR,
  "user_id" VARCHAR,
  "seat_type" VARCHAR,
  "is_paid_seat_type" BOOLEAN,
  "guest_overflow" BOOLEAN,
  "workspaces" INTEGER,
  "billing_active" BOOLEAN,
  "last_used_at" TIMESTAMPTZ,
  "days_since_last_use" INTEGER,
  "active_in_window" BOOLEAN,
  "estimated_billable" BOOLEAN,
  "billing_flag" VARCHAR,
  "monthly_cost" DOUBLE,
  "currency" VARCHAR,
  "plan" VARCHAR
);
COMMENT ON TABLE "licenses" IS 'One seat per person per billing account (the enterprise on Grid, the workspace elsewhere), its type, whether Slack bills it, whether anyone used it within the inactivity window, and what it costs.';
COMMENT ON COLUMN "licenses"."org_id" IS 'Billing account: the enterprise (E…) on Enterprise Grid, otherwise the workspace (T…).';
COMMENT ON COLUMN "licenses"."user_id" IS 'Slack user ID.';
COMMENT ON COLUMN "licenses"."seat_type" IS 'owner, admin, member, multi_channel_guest, single_channel_guest, invited, bot (bots, apps, workflows, Slackbot) or deactivated; across workspaces the most privileged role wins.';
COMMENT ON COLUMN "licenses"."is_paid_seat_type" IS 'Slack bills this seat type: owners, admins, members, multi-channel guests, and single-channel guests beyond 5 per paid member.';
COMMENT ON COLUMN "licenses"."guest_overflow" IS 'A single-channel guest billed because the account has more than 5 per paid member.';
COMMENT ON COLUMN "licenses"."workspaces" IS 'Workspaces of the billing account the person belongs to.';
COMMENT ON COLUMN "licenses"."billing_active" IS 'Slack''s team.billableInfo flag (true in any workspace wins); NULL when it could not be read.';
COMMENT ON COLUMN "licenses"."last_used_at" IS 'Latest sign of use (user_usage.last_used_at); NULL if none.';
COMMENT ON COLUMN "licenses"."days_since_last_use" IS 'Whole days from last_used_at to the sync''s as_of.';
COMMENT ON COLUMN "licenses"."active_in_window" IS 'Used within the inactivity window (--inactive-after, default 28 days, Slack''s Fair Billing rule).';
COMMENT ON COLUMN "licenses"."estimated_billable" IS 'A paid seat used within the window: what Fair Billing should charge for.';
COMMENT ON COLUMN "licenses"."billing_flag" IS 'For paid seats: ok, billed_but_inactive, billing_flag_unreliable (Slack says billable, activity says unused) or never_used; NULL for seats Slack does not bill.';
COMMENT ON COLUMN "licenses"."monthly_cost" IS 'Price of the seat per month in currency (0 for free seats or plans with no price set).';
COMMENT ON COLUMN "licenses"."currency" IS 'Currency of monthly_cost.';
COMMENT ON COLUMN "licenses"."plan" IS 'The billing account''s plan.';
CREATE TABLE IF NOT EXISTS "seat_history" (
  "run_id" BIGINT,
  "as_of" TIMESTAMPTZ,
  "scope" VARCHAR,
  "org_id" VARCHAR,
  "team_id" VARCHAR,
  "plan" VARCHAR,
  "owners" BIGINT,
  "admins" BIGINT,
  "members" BIGINT,
  "multi_channel_guests" BIGINT,
  "single_channel_guests" BIGINT,
  "billed_single_channel_guests" BIGINT,
  "invited" BIGINT,
  "bots" BIGINT,
  "deactivated" BIGINT,
  "paid_seats" BIGINT,
  "slack_billable" BIGINT,
  "estimated_billable" BIGINT,
  "inactive_paid_seats" BIGINT,
  "never_used_paid_seats" BIGINT,
  "monthly_cost" DOUBLE,
  "monthly_waste" DOUBLE,
  "yearly_waste" DOUBLE,
  "currency" VARCHAR,
  "price_known" BOOLEAN,
  "all_active_pattern" BOOLEAN,
  "note" VARCHAR,
  "inactive_after_days" INTEGER
);
COMMENT ON TABLE "seat_history" IS 'Seat counts, Slack''s billable count against activity, and waste: one row per sync per billing account and per workspace. A person in several workspaces counts in each workspace row but once in the billing_account row.';
COMMENT ON COLUMN "seat_history"."run_id" IS 'The sync (sync_runs.run_id).';
COMMENT ON COLUMN "seat_history"."as_of" IS 'The sync''s as_of instant.';
COMMENT ON COLUMN "seat_history"."scope" IS 'billing_account or workspace.';
COMMENT ON COLUMN "seat_history"."org_id" IS 'Billing account.';
COMMENT ON COLUMN "seat_history"."team_id" IS 'Workspace, for workspace rows; NULL for billing_account rows.';
COMMENT ON COLUMN "seat_history"."plan" IS 'Plan.';
COMMENT ON COLUMN "seat_history"."owners" IS 'Owner seats.';
COMMENT ON COLUMN "seat_history"."admins" IS 'Admin seats.';
COMMENT ON COLUMN "seat_history"."members" IS 'Full member seats.';
COMMENT ON COLUMN "seat_history"."multi_channel_guests" IS 'Multi-channel guest seats (billed like members).';
COMMENT ON COLUMN "seat_history"."single_channel_guests" IS 'Single-channel guest seats.';
COMMENT ON COLUMN "seat_history"."billed_single_channel_guests" IS 'Single-channel guests beyond 5 per paid member, billed as paid seats.';
COMMENT ON COLUMN "seat_history"."invited" IS 'Pending invitations (not billed until accepted).';
COMMENT ON COLUMN "seat_history"."bots" IS 'Bots, apps, workflows and Slackbot.';
COMMENT ON COLUMN "seat_history"."deactivated" IS 'Deactivated accounts.';
COMMENT ON COLUMN "seat_history"."paid_seats" IS 'Seats Slack bills by type.';
COMMENT ON COLUMN "seat_history"."slack_billable" IS 'Accounts Slack''s billing_active flag marks as billable.';
COMMENT ON COLUMN "seat_history"."estimated_billable" IS 'Paid seats used within the inactivity window.';
COMMENT ON COLUMN "seat_history"."inactive_paid_seats" IS 'Paid seats not used within the window.';
COMMENT ON COLUMN "seat_history"."never_used_paid_seats" IS 'Paid seats with no sign of use at all.';
COMMENT ON COLUMN "seat_history"."monthly_cost" IS 'Cost of all paid seats per month.';
COMMENT ON COLUMN "seat_history"."monthly_waste" IS 'Cost per month of paid seats not used within the window.';
COMMENT ON COLUMN "seat_history"."yearly_waste" IS 'monthly_waste × 12.';
COMMENT ON COLUMN "seat_history"."currency" IS 'Currency of the amounts.';
COMMENT ON COLUMN "seat_history"."price_known" IS 'False when no seat price is set for the plan (Enterprise Grid is priced by contract).';
COMMENT ON COLUMN "seat_history"."all_active_pattern" IS 'Slack flags nearly every unused paid seat as billable: its count overstates what is billed.';
COMMENT ON COLUMN "seat_history"."note" IS 'What to make of the numbers, in plain words.';
COMMENT ON COLUMN "seat_history"."inactive_after_days" IS 'The inactivity window the sync used (--inactive-after).';
CREATE TABLE IF NOT EXISTS "actions_log" (
  "batch_id" BIGINT,
  "step" INTEGER,
  "logged_at" TIMESTAMPTZ,
  "actor_user_id" VARCHAR,
  "actor_team_id" VARCHAR,
  "action" VARCHAR,
  "target_user_id" VARCHAR,
  "target_email" VARCHAR,
  "target_name" VARCHAR,
  "workspace" VARCHAR,
  "object" VARCHAR,
  "reason" VARCHAR,
  "source" VARCHAR,
  "dry_run" BOOLEAN,
  "result" VARCHAR,
  "detail" VARCHAR,
  "slack_error" VARCHAR
);
COMMENT ON TABLE "actions_log" IS 'Every action slackaudit act and notify planned, skipped, carried out or failed, one row per target, written as it happens: the audit trail of changes made to Slack.';
COMMENT ON COLUMN "actions_log"."batch_id" IS 'One run of slackaudit act or notify; increases by one per run of this warehouse.';
COMMENT ON COLUMN "actions_log"."step" IS 'Position of the target in the run''s plan, from 1.';
COMMENT ON COLUMN "actions_log"."logged_at" IS 'When the outcome was known and the row written (UTC).';
COMMENT ON COLUMN "actions_log"."actor_user_id" IS 'The user the token acts as (auth.test user_id): who made the change.';
COMMENT ON COLUMN "actions_log"."actor_team_id" IS 'Workspace (T…) or enterprise (E…) of the token.';
COMMENT ON COLUMN "actions_log"."action" IS 'usergroup_add, usergroup_remove, workspace_add, workspace_remove, workspace_invite, deactivate, reactivate or notify.';
COMMENT ON COLUMN "actions_log"."target_user_id" IS 'Slack user ID acted on; NULL for an invitation to an email address without an account.';
COMMENT ON COLUMN "actions_log"."target_email" IS 'Email address of the target, when known.';
COMMENT ON COLUMN "actions_log"."target_name" IS 'Name of the target (real name, else handle), when known.';
COMMENT ON COLUMN "actions_log"."workspace" IS 'Workspace (T…) the action applies to, or the enterprise (E…) for organisation-wide actions.';
COMMENT ON COLUMN "actions_log"."object" IS 'What else the action names: the user group (S…), the channel a notification went to, the channels of an invitation.';
COMMENT ON COLUMN "actions_log"."reason" IS 'Why the target was chosen: the query and its numbers (unused for 120 days, seat type) or --reason.';
COMMENT ON COLUMN "actions_log"."source" IS 'How the targets were chosen: --users, --from-query NAME with its parameters, or --from-sql.';
COMMENT ON COLUMN "actions_log"."dry_run" IS 'True when the run only showed the plan (no --yes): nothing was changed.';
COMMENT ON COLUMN "actions_log"."result" IS 'planned (dry run), skipped, succeeded or failed.';
COMMENT ON COLUMN "actions_log"."detail" IS 'Why a step was skipped (already done, a guard, refused, unknown target, not attempted) or what happened.';
COMMENT ON COLUMN "actions_log"."slack_error" IS 'Slack''s error code (or SCIM HTTP status) when the step failed or Slack refused it; NULL otherwise.';
CREATE OR REPLACE VIEW "user_group_members" AS SELECT team_id, group_id, handle, is_disabled, unnest(members) AS user_id FROM user_groups;
COMMENT ON VIEW "user_group_members" IS 'One row per user group and member: user_groups.members unnested.';
CREATE OR REPLACE VIEW "latest_sync" AS SELECT run_id, started_at, finished_at, as_of, mode, team_id, api_calls,
       finished_at - started_at AS duration
FROM sync_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1;
COMMENT ON VIEW "latest_sync" IS 'The most recent successful sync: its run_id, as_of instant and how long it took.';
CREATE OR REPLACE VIEW "license_summary" AS SELECT * FROM seat_history WHERE run_id = (SELECT max(run_id) FROM seat_history) ORDER BY org_id, scope, team_id NULLS FIRST;
COMMENT ON VIEW "license_summary" IS 'Seats, Slack''s billable count against activity, and waste per billing account and per workspace, from the latest sync.';
CREATE OR REPLACE VIEW "action_batches" AS SELECT batch_id, min(logged_at) AS started_at, max(logged_at) AS finished_at,
       string_agg(DISTINCT action, ', ' ORDER BY action) AS actions, any_value(actor_user_id) AS actor_user_id,
       bool_or(dry_run) AS dry_run, any_value(source) AS source,
       count(*) FILTER (WHERE result = 'planned') AS planned,
       count(*) FILTER (WHERE result = 'succeeded') AS succeeded,
       count(*) FILTER (WHERE result = 'failed') AS failed,
       count(*) FILTER (WHERE result = 'skipped') AS skipped
FROM actions_log GROUP BY batch_id;
COMMENT ON VIEW "action_batches" IS 'One row per run of slackaudit act or notify: what it did, who ran it, and how many targets succeeded, failed or were skipped.';
