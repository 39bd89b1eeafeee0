package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Settings are a tenant's messaging choices.
type Settings struct {
	TimeZone    string `json:"time_zone" doc:"IANA name, e.g. Europe/Moscow; quiet hours are in it"`
	QuietStart  string `json:"quiet_start" doc:"HH:MM when quiet hours begin (e-mail, SMS and push wait until they end); equal to quiet_end: none"`
	QuietEnd    string `json:"quiet_end" doc:"HH:MM when quiet hours end"`
	DailyCap    int    `json:"daily_cap" doc:"The most messages one person gets in 24 hours (the inbox included); more wait"`
	DefaultLang string `json:"default_lang" doc:"The language of people whose own has no template"`
	Tracking    bool   `json:"tracking" doc:"Whether e-mail opens and clicks are tracked"`
}

// DefaultSettings are a tenant's until it chooses.
var DefaultSettings = Settings{TimeZone: "UTC", QuietStart: "21:00", QuietEnd: "08:00", DailyCap: 3, DefaultLang: "en", Tracking: true}

// check validates the settings.
func (s Settings) check() error {
	var f errs.Fields
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" || s.TimeZone == "Local" {
		f.Add("time_zone", "bad_time_zone", "unknown time zone %q; use an IANA name such as Europe/Moscow or UTC", s.TimeZone)
	}
	if _, err := minutes(s.QuietStart); err != nil {
		f.Add("quiet_start", "bad_time", "%s", err.Error())
	}
	if _, err := minutes(s.QuietEnd); err != nil {
		f.Add("quiet_end", "bad_time", "%s", err.Error())
	}
	if s.DailyCap < 1 || s.DailyCap > 100 {
		f.Add("daily_cap", "out_of_range", "between 1 and 100 messages a day")
	}
	if len(s.DefaultLang) < 2 || len(s.DefaultLang) > 10 {
		f.Add("default_lang", "bad_lang", "a language code such as en or ru")
	}
	return f.Err()
}

// minutes reads "HH:MM" as minutes after midnight.
func minutes(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not a time of day HH:MM, e.g. 21:30", s)
	}
	return hh*60 + mm, nil
}

// QuietUntil returns when the quiet hours around now end, or the zero
// time when now is not in them.
func (s Settings) QuietUntil(now time.Time) time.Time {
	loc, err := time.LoadLocation(s.TimeZone)
	start, err1 := minutes(s.QuietStart)
	end, err2 := minutes(s.QuietEnd)
	if err != nil || err1 != nil || err2 != nil || start == end {
		return time.Time{}
	}
	local := now.In(loc)
	m := local.Hour()*60 + local.Minute()
	quiet := (start < end && m >= start && m < end) || (start > end && (m >= start || m < end))
	if !quiet {
		return time.Time{}
	}
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	until := day.Add(time.Duration(end) * time.Minute)
	if !until.After(local) {
		until = day.AddDate(0, 0, 1).Add(time.Duration(end) * time.Minute)
	}
	return until.UTC()
}
