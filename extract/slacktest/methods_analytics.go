package slacktest

import (
	"compress/gzip"
	"net/http"
	"slices"
	"sync"
	"time"
)

// gzipWriters reuses compressors: each holds about 1 MB of state.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// adminAnalyticsGetFile answers admin.analytics.getFile. Only type=member
// is modelled (anything else, public_channel included, is invalid_type).
// date is a UTC day YYYY-MM-DD (missing or malformed: invalid_date); days
// before AnalyticsRange are data_not_available, today, yesterday and later
// days file_not_yet_available. A success is HTTP 200 with Content-Type
// application/gzip: one JSON object per line (writeMemberLine), one line
// per person InMemberAnalytics on that day, in user ID order, streamed
// through gzip so that no day is held in memory.
func (s *Server) adminAnalyticsGetFile(c *call) {
	o := s.org
	metadataOnly, ok := c.boolParam("metadata_only", false)
	if !ok {
		c.failWithMessage("invalid_arguments", "invalid value for metadata_only: expected true or false")
		return
	}
	if metadataOnly && c.param("date") != "" {
		c.fail("metadata_only_does_not_support_date")
		return
	}
	switch typ := c.param("type"); {
	case typ == "":
		c.failWithMessage("invalid_arguments", "missing required argument type")
		return
	case typ != "member":
		c.fail("invalid_type")
		return
	case metadataOnly:
		c.failWithMessage("invalid_arguments", "metadata_only is only valid with type=public_channel")
		return
	}
	date := c.param("date")
	t, err := time.Parse(time.DateOnly, date)
	if err != nil || len(date) != len(time.DateOnly) {
		c.fail("invalid_date")
		return
	}
	d := dayOf(t.Unix())
	lo, hi := o.analyticsDays()
	switch {
	case d < lo:
		c.fail("data_not_available")
		return
	case d > hi:
		c.fail("file_not_yet_available")
		return
	}

	// Stream a snapshot without holding the org's lock: *User values are
	// never changed in place, so the cloned slice stays consistent.
	users := slices.Clone(o.Users)
	c.release()
	h := c.w.Header()
	h["Content-Type"] = []string{"application/gzip"}
	h["Content-Disposition"] = []string{`attachment; filename="org_member_analytics_` + date + `.json.gz"`}
	c.w.WriteHeader(http.StatusOK)
	c.status = http.StatusOK
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(c.w)
	defer gzipWriters.Put(zw)
	e := getEncoder(false)
	defer putEncoder(e)
	var m MemberAnalytics
	for _, u := range users {
		if !memberOn(u, d) {
			continue
		}
		o.memberLine(u, d, date, &m)
		writeMemberLine(e, u, &m)
		e.byte('\n')
		if len(e.b) >= 32<<10 {
			if _, err := zw.Write(e.b); err != nil {
				return // the client went away
			}
			e.b = e.b[:0]
		}
	}
	if _, err := zw.Write(e.b); err != nil {
		return
	}
	_ = zw.Close()
}
