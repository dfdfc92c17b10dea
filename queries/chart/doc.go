// Package chart draws the charts of slackaudit's HTML report as SVG: bar
// charts (single, grouped, stacked; horizontal or vertical) and line charts
// over sync dates.
//
// # Why hand-written SVG and not a plotting library
//
// The charts are written by this package, from Go code, rather than by a
// plotting library such as gonum.org/v1/plot, for three reasons:
//
//   - Each chart carries its numbers in machine-readable form. Every mark (a
//     bar or a point) has data-series, data-category or data-x, and
//     data-value attributes holding the exact input, so a test can parse the
//     report and check each chart against the warehouse. A plotting library
//     emits anonymous paths whose numbers can only be recovered by inverting
//     its geometry.
//   - The report is read by finance, printed on A4 and read by screen
//     readers. Each chart has a real <title> and <desc> (the desc states the
//     numbers in words), role="img" with aria-labelledby, a <title> on each
//     mark for hover, colours set by CSS classes that the page's stylesheet
//     and print CSS can change, and no external fonts. Plotting libraries do
//     not emit these.
//   - It is a few hundred lines of standard-library Go against a large
//     dependency tree, and the output stays byte-for-byte deterministic, so
//     golden files can pin it.
//
// # Output contract
//
// [Bar.Render] and [Line.Render] write one <svg> element that is a
// well-formed standalone SVG 1.1 document (no XML declaration, so it can also
// be pasted into an HTML5 page) and uses only SVG 1.1 elements and
// presentation attributes. The data-*, role and aria-* attributes come from
// HTML5, SVG 2 and WAI-ARIA; SVG 1.1 viewers ignore them. The chart is sized
// by its viewBox alone (720 units wide), so it scales to the width of its
// container, an A4 page included. There is no script.
//
// Same input, same bytes: the output depends only on the chart value, never
// on the clock, map order or the machine.
//
// All text from the caller (titles, category and series names: names come
// from Slack and may hold anything) is escaped. Characters XML cannot carry
// become U+FFFD; in visible text, bidi embedding, override and isolate
// controls are dropped so that a name cannot reorder the text around it, and
// right-to-left names are isolated inside the sentences of <desc>. Long names
// are shortened with "…" in labels and kept whole in data attributes and
// hover titles.
//
// A chart with no categories, no series or no X values draws a "No data"
// panel; a chart whose values are all 0 draws its zero-length marks (with
// their data) on a 0–1 axis and says that every value is 0.
//
// Colours come from one palette ([Class]); each mark carries its class and a
// matching fill or stroke attribute, which any CSS rule overrides.
// [Stylesheet] returns the palette as CSS, with print rules, for the page.
package chart
