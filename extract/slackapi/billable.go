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
	TeamID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). Slack lists every account of the workspace, so when set an
	// empty list or one without that user fails, as for Users: an empty
	// billable_info would count no seat as billed.
	MustList string
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
		listed, own := 0, false
		err := pg.byCursor(ctx, func(r *Billable) error {
			listed++
			own = own || r.UserID == o.MustList
			return yielded(yield(*r, nil))
		})
		if err == nil {
			err = mustList{method: "team.billableInfo", team: o.TeamID, of: "workspace", noun: "billing flag", user: o.MustList}.check(listed, own)
		}
		finish(yield, err)
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
