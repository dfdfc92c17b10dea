package main

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/transform"
)

func init() {
	registerFeature(feature{
		name: "licenses",
		derive: func(p *syncPlan, o syncOptions, asOf time.Time) deriver {
			return licenseDeriver{transform.NewLicenses(transform.LicenseConfig{AsOf: asOf, RunID: p.runID,
				OrgOf: p.orgOf(), InactiveAfter: o.inactiveAfter, Prices: o.prices, Alloc: o.alloc})}
		},
	})
}

// licenseDeriver lands licenses and seat_history.
type licenseDeriver struct{ l *transform.Licenses }

func (d licenseDeriver) Observe(table string, rec arrow.RecordBatch) error {
	return d.l.Observe(table, rec)
}

func (d licenseDeriver) Emit(load func(string, arrow.RecordBatch) error) error {
	return d.l.Emit(extract.MaxBatchRows, load)
}
