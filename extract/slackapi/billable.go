package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// BillablePageSize is the largest page team.billableInfo allows.
const BillablePageSize = 1000

// Billable is Slack's billing flag for one account, from team.billableInfo.
type Billable struct {
	UserID        string
	BillingActive bool
}

// ListBillable says whose team.billableInfo to read.
type ListBillable struct {
	TeamID   string
	PageSize int // BillablePageSize when zero (tests)
}

// BillableInfo reads team.billableInfo for one workspace, each account
// once, in user order within each page. The sequence ends after the first
// error.
func (c *Client) BillableInfo(ctx context.Context, o ListBillable) iter.Seq2[Billable, error] {
	return func(yield func(Billable, error) bool) {
		ctx := withTeam(ctx, o.TeamID)
		size := o.PageSize
		if size <= 0 {
			size = BillablePageSize
		}
		pg := newPager(c, billableList, o.TeamID, url.Values{"limit": {strconv.Itoa(size)}, "team_id": {o.TeamID}},
			func(d *dedup, r *Billable) uint64 { return d.key(o.TeamID, r.UserID) })
		finish(yield, pg.byCursor(ctx, func(r *Billable) error { return yielded(yield(*r, nil)) }))
	}
}

// billableList decodes team.billableInfo pages: an object from user ID to
// {"billing_active": bool}, read in user order.
var billableList = listSpec[Billable]{method: "team.billableInfo", field: "billable_info", keyed: true,
	order: func(a, b *Billable) int { return strings.Compare(a.UserID, b.UserID) },
	item: func(p *flatObject, key string, r *Billable) error {
		r.UserID = key
		known := false
		err := p.object(func(k []byte) (err error) {
			if string(k) != "billing_active" {
				return p.skip()
			}
			r.BillingActive, known, err = p.flag()
			return err
		})
		switch {
		case err != nil:
			return err
		case key == "":
			return &fieldError{got: "an empty user ID", want: "a user ID"}
		case !known:
			return missing("billing_active")
		}
		return nil
	}}

// decodeBillablePage decodes one team.billableInfo answer.
func decodeBillablePage(body []byte) (page[Billable], error) { return billableList.decode(body) }
