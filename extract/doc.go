// Package extract holds slackaudit's raw data sets, one file each: the
// table's Arrow schema and its Source, which reads the data set from Slack
// as Arrow record batches of at most MaxBatchRows rows.
//
// A Source does not speak to Slack itself: it ranges over a typed iterator
// of the Slack client in extract/slackapi (Users, OrgUsers, BillableInfo,
// AccessLogs, …) and appends each record to its builders. Paging, pacing,
// retries, repeats and the checks that a list is whole are the client's;
// what a Source adds is the table: which records become which rows, and
// when a batch is emitted. Memory stays bounded by one page and one batch,
// never the whole data set. Raw data only: derived tables are transform's.
package extract
