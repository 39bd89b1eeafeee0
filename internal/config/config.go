// Package config is the server's configuration: one struct filled from
// flags and LOYAL_* environment variables (flags win), validated before
// anything starts, and printable with secrets masked.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/mail"
)

// Config is shared by every command that opens the database.
type Config struct {
	Database     string `name:"database" env:"LOYAL_DATABASE_URL" placeholder:"URL" help:"PostgreSQL URL (postgres://user:pass@host:5432/db). Empty: embedded SQLite in --data-dir."`
	DataDir      string `name:"data-dir" env:"LOYAL_DATA_DIR" default:"./loyal-data" placeholder:"DIR" help:"Directory of the SQLite database and other local files."`
	LogLevel     string `name:"log-level" env:"LOYAL_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Least severe log level written (${enum})."`
	LogFormat    string `name:"log-format" env:"LOYAL_LOG_FORMAT" default:"text" enum:"text,json" help:"Log line format (${enum})."`
	DBConns      int    `name:"db-conns" env:"LOYAL_DB_CONNS" default:"8" help:"Read connections (SQLite) or pool size (PostgreSQL)."`
	Wallet       Wallet `embed:"" group:"Wallet passes"`
	OTLPEndpoint string `name:"otlp-endpoint" env:"OTEL_EXPORTER_OTLP_ENDPOINT" placeholder:"URL" help:"Export OpenTelemetry traces over OTLP/HTTP to this collector (e.g. http://127.0.0.1:4318). Empty: tracing off."`
	PublicURL    string `name:"public-url" env:"LOYAL_PUBLIC_URL" placeholder:"URL" help:"The address people reach the server at, for links in e-mail (https://… also makes cookies Secure). Empty: http://<addr>."`
	SMTPURL      string `name:"smtp-url" env:"LOYAL_SMTP_URL" placeholder:"URL" help:"The SMTP server that sends e-mail: smtp://user:pass@host:587?from=noreply@example.com (STARTTLS when offered). Empty: mail is written to the log, not sent."`
	// Messaging: webhooks may go to private addresses only when allowed;
	// SMS and push providers are off unless their URLs are set.
	WebhooksAllowPrivate bool   `name:"webhooks-allow-private" env:"LOYAL_WEBHOOKS_ALLOW_PRIVATE" help:"Let webhooks go to loopback, private and link-local addresses (for a closed network or tests; off by default against SSRF)."`
	SMSURL               string `name:"sms-url" env:"LOYAL_SMS_URL" placeholder:"URL" help:"SMS gateway: each text is POSTed as JSON {\"to\",\"text\"} here, with --sms-token as a bearer token. Empty: no SMS."`
	SMSToken             string `name:"sms-token" env:"LOYAL_SMS_TOKEN" placeholder:"TOKEN" help:"Bearer token of the SMS gateway."`
	PushURL              string `name:"push-url" env:"LOYAL_PUSH_URL" placeholder:"URL" help:"Push provider in FCM HTTP v1's shape (https://fcm.googleapis.com/v1/projects/<id>/messages:send). Empty: no push."`
	PushToken            string `name:"push-token" env:"LOYAL_PUSH_TOKEN" placeholder:"TOKEN" help:"Bearer token of the push provider."`
}

// Server configures the HTTP server.
type Server struct {
	Addr            string        `name:"addr" env:"LOYAL_ADDR" default:"127.0.0.1:8080" help:"Address to listen on, host:port."`
	ShutdownTimeout time.Duration `name:"shutdown-timeout" env:"LOYAL_SHUTDOWN_TIMEOUT" default:"30s" help:"How long to let requests in flight finish on SIGTERM."`
	JobsInterval    time.Duration `name:"jobs-interval" env:"LOYAL_JOBS_INTERVAL" default:"1m" help:"How often the server runs due jobs (pending points becoming available, expiry); 0 turns them off."`
	TenantRate      int           `name:"tenant-rate" env:"LOYAL_TENANT_RATE" default:"1000" help:"Requests a second one tenant may make on this server (burst twice that), unless it has its own rate (loyal admin tenant set-rate); 0: no limit."`
	AuthFailures    int           `name:"auth-failures" env:"LOYAL_AUTH_FAILURES" default:"10" help:"Failed authentications a minute allowed per API key id (ten times as many per client address) before attempts get 429."`
	RelayPoll       time.Duration `name:"relay-poll" env:"LOYAL_RELAY_POLL" default:"1s" help:"How often the outbox relay (webhooks, e-mail, SMS, push) looks for messages when it has none; 0 turns it off on this server."`
	EraseInactive   time.Duration `name:"erase-inactive-after" env:"LOYAL_ERASE_INACTIVE_AFTER" default:"0s" placeholder:"PERIOD" help:"Retention: erase (pseudonymize) members with no change and no event for this long, daily (e.g. 17520h for two years); 0: never."`
	TrustedProxies  []string      `name:"trusted-proxies" env:"LOYAL_TRUSTED_PROXIES" sep:"," placeholder:"CIDR,..." help:"Reverse proxies (CIDRs) whose X-Forwarded-For names the client address."`
}

// Proxies parses TrustedProxies (Check has validated them).
func (s Server) Proxies() []netip.Prefix {
	var out []netip.Prefix
	for _, c := range s.TrustedProxies {
		if p, err := parsePrefix(c); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// parsePrefix reads a CIDR or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	return netip.ParsePrefix(s)
}

// DSN returns the database to open: the PostgreSQL URL, or the SQLite file
// in the data directory.
func (c Config) DSN() string {
	if c.Database != "" {
		return c.Database
	}
	return filepath.Join(c.DataDir, "loyal.db")
}

// SQLiteFile is the SQLite database file, and false on PostgreSQL.
func (c Config) SQLiteFile() (string, bool) {
	if c.Database == "" {
		return filepath.Join(c.DataDir, "loyal.db"), true
	}
	if rest, ok := strings.CutPrefix(c.Database, "sqlite:"); ok {
		return strings.TrimPrefix(rest, "//"), true
	}
	return "", false
}

// Check validates the configuration and says what to fix. (It is not
// named Validate: the CLI parser would call that while parsing, before the
// command runs, and fail even commands that do not use the database.)
func (c Config) Check() error {
	var problems []string
	if c.Database != "" {
		u, err := url.Parse(c.Database)
		switch {
		case strings.HasPrefix(c.Database, "sqlite:") && strings.TrimPrefix(strings.TrimPrefix(c.Database, "sqlite:"), "//") == "":
			problems = append(problems, "--database / LOYAL_DATABASE_URL sqlite: needs a file path, e.g. sqlite:/var/lib/loyal/loyal.db")
		case strings.HasPrefix(c.Database, "sqlite:"):
		case err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "":
			problems = append(problems, "--database / LOYAL_DATABASE_URL must be a PostgreSQL URL such as postgres://user:pass@127.0.0.1:5432/loyal, or sqlite:/path/to/file.db")
		}
	} else if strings.TrimSpace(c.DataDir) == "" {
		problems = append(problems, "--data-dir / LOYAL_DATA_DIR must not be empty")
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			problems = append(problems, "--public-url / LOYAL_PUBLIC_URL must be an http(s) address without a path, e.g. https://loyalty.example.com")
		}
	}
	if c.SMTPURL != "" {
		if _, err := mail.ParseURL(c.SMTPURL); err != nil {
			problems = append(problems, "--smtp-url / LOYAL_SMTP_URL: "+err.Error())
		}
	}
	for name, u := range map[string]string{"--sms-url / LOYAL_SMS_URL": c.SMSURL, "--push-url / LOYAL_PUSH_URL": c.PushURL} {
		if pu, err := url.Parse(u); u != "" && (err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "") {
			problems = append(problems, name+" must be an http(s) URL")
		}
	}
	if c.DBConns < 1 || c.DBConns > 1000 {
		problems = append(problems, "--db-conns / LOYAL_DB_CONNS must be between 1 and 1000")
	}
	problems = append(problems, c.Wallet.problems()...)
	return joinProblems(problems)
}

// Check validates the server configuration.
func (s Server) Check() error {
	var problems []string
	host, port, err := net.SplitHostPort(s.Addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		problems = append(problems, fmt.Sprintf("--addr / LOYAL_ADDR %q must be host:port, e.g. 127.0.0.1:8080 or :8080", s.Addr))
	} else if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		if _, err := net.LookupHost(host); err != nil {
			problems = append(problems, fmt.Sprintf("--addr / LOYAL_ADDR: cannot resolve host %q", host))
		}
	}
	if s.JobsInterval < 0 || (s.JobsInterval > 0 && s.JobsInterval < time.Second) {
		problems = append(problems, "--jobs-interval / LOYAL_JOBS_INTERVAL must be 0 (off) or at least 1s")
	}
	if s.RelayPoll < 0 || (s.RelayPoll > 0 && s.RelayPoll < 10*time.Millisecond) || s.RelayPoll > time.Hour {
		problems = append(problems, "--relay-poll / LOYAL_RELAY_POLL must be 0 (off) or between 10ms and 1h")
	}
	if s.ShutdownTimeout < time.Second || s.ShutdownTimeout > 10*time.Minute {
		problems = append(problems, "--shutdown-timeout / LOYAL_SHUTDOWN_TIMEOUT must be between 1s and 10m")
	}
	if s.EraseInactive < 0 || (s.EraseInactive > 0 && s.EraseInactive < 24*time.Hour) {
		problems = append(problems, "--erase-inactive-after / LOYAL_ERASE_INACTIVE_AFTER must be 0 (never) or at least 24h")
	}
	if s.TenantRate < 0 || s.TenantRate > 1_000_000 {
		problems = append(problems, "--tenant-rate / LOYAL_TENANT_RATE must be between 0 (no limit) and 1000000 requests a second")
	}
	if s.AuthFailures < 0 || s.AuthFailures > 10_000 {
		problems = append(problems, "--auth-failures / LOYAL_AUTH_FAILURES must be between 1 and 10000 a minute (0: the default, 10)")
	}
	for _, c := range s.TrustedProxies {
		if _, err := parsePrefix(c); err != nil {
			problems = append(problems, fmt.Sprintf("--trusted-proxies / LOYAL_TRUSTED_PROXIES: %q is not an address or CIDR such as 10.0.0.0/8", c))
		}
	}
	return joinProblems(problems)
}

func joinProblems(p []string) error {
	if len(p) == 0 {
		return nil
	}
	return errors.New("invalid configuration:\n  - " + strings.Join(p, "\n  - "))
}

// MaskURL hides the password of a URL, in its user part or its query
// (PostgreSQL accepts ?password=…). A URL it cannot parse is hidden whole.
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL hidden)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for k := range q {
		if strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
			q.Set(k, "xxxxx")
		}
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Describe lists the effective settings, secrets masked, for the start-up log.
func (c Config) Describe() []any {
	db := "sqlite " + strings.TrimPrefix(strings.TrimPrefix(c.DSN(), "sqlite:"), "//")
	if c.Database != "" && !strings.HasPrefix(c.Database, "sqlite:") {
		db = "postgres " + MaskURL(c.Database)
	}
	smtp := "none (mail is logged)"
	if c.SMTPURL != "" {
		smtp = MaskURL(c.SMTPURL)
	}
	return []any{"database", db, "data_dir", c.DataDir, "log_level", c.LogLevel, "log_format", c.LogFormat, "db_conns", c.DBConns, "smtp", smtp}
}
