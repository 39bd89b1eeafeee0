package importer

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// defaultLayouts are tried in order when a mapping gives no date format.
var defaultLayouts = []string{
	"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04",
	"02.01.2006 15:04:05", "02.01.2006 15:04", "02.01.2006", "02/01/2006 15:04", "02/01/2006",
}

// strftime conversions of the directives ERP users know.
var strftime = strings.NewReplacer("%Y", "2006", "%y", "06", "%m", "01", "%d", "02", "%H", "15", "%M", "04",
	"%S", "05", "%b", "Jan", "%B", "January", "%p", "PM", "%I", "03", "%z", "-0700", "%Z", "MST", "%%", "%")

// goLayout turns a format given as a Go layout or with strftime
// directives into a Go layout.
func goLayout(f string) string {
	if strings.Contains(f, "%") {
		return strftime.Replace(f)
	}
	return f
}

// dateParser parses one mapping's dates in its time zone.
type dateParser struct {
	layouts []string
	loc     *time.Location
	serial  bool // spreadsheet cells: a plain number is an Excel serial date
	last    int  // index of the layout that matched last, tried first
}

func (d *dateParser) parse(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if d.serial {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return excelSerial(f, d.loc)
		}
	}
	if t, err := time.ParseInLocation(d.layouts[d.last], s, d.loc); err == nil {
		return t, true
	}
	for i, l := range d.layouts {
		if t, err := time.ParseInLocation(l, s, d.loc); err == nil {
			d.last = i
			return t, true
		}
	}
	return time.Time{}, false
}

// excelSerial converts a spreadsheet serial date (days since 1899-12-30,
// the 1900 system) to a time in loc, to the millisecond.
func excelSerial(f float64, loc *time.Location) (time.Time, bool) {
	if f < 1 || f > 2958465 || math.IsNaN(f) {
		return time.Time{}, false
	}
	days := math.Floor(f)
	ms := math.Round((f - days) * 86400000)
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, loc)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), true
}
