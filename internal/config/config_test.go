package config_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/config"
)

// base is a valid configuration: SQLite in a data directory.
func base() config.Config {
	return config.Config{DataDir: "./loyal-data", LogLevel: "info", LogFormat: "text", DBConns: 8}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*config.Config)
		wants []string // substrings of the error; nil for valid
		n     int      // problems listed
	}{
		{"defaults", func(c *config.Config) {}, nil, 0},
		{"postgres URL", func(c *config.Config) { c.Database = "postgres://loyal:secret@127.0.0.1:5432/loyal?sslmode=disable" }, nil, 0},
		{"postgresql scheme", func(c *config.Config) { c.Database = "postgresql://db.internal/loyal" }, nil, 0},
		{"sqlite prefix with path", func(c *config.Config) { c.Database = "sqlite:/var/lib/loyal/loyal.db" }, nil, 0},
		{"sqlite URL form", func(c *config.Config) { c.Database = "sqlite:///var/lib/loyal/loyal.db" }, nil, 0},
		{"database set, data dir empty", func(c *config.Config) { c.Database = "postgres://h/db"; c.DataDir = "" }, nil, 0},
		{"fewest conns", func(c *config.Config) { c.DBConns = 1 }, nil, 0},
		{"most conns", func(c *config.Config) { c.DBConns = 1000 }, nil, 0},

		{"ftp scheme", func(c *config.Config) { c.Database = "ftp://x" }, []string{"--database / LOYAL_DATABASE_URL", "postgres://"}, 1},
		{"mysql", func(c *config.Config) { c.Database = "mysql://root@localhost/db" }, []string{"LOYAL_DATABASE_URL"}, 1},
		{"postgres without host", func(c *config.Config) { c.Database = "postgres:///loyal" }, []string{"LOYAL_DATABASE_URL"}, 1},
		{"bare file path", func(c *config.Config) { c.Database = "/tmp/loyal.db" }, []string{"LOYAL_DATABASE_URL", "sqlite:"}, 1},
		{"key=value DSN", func(c *config.Config) { c.Database = "host=db user=loyal" }, []string{"LOYAL_DATABASE_URL"}, 1},
		{"unparsable URL", func(c *config.Config) { c.Database = "postgres://u:p%zz@h/db" }, []string{"LOYAL_DATABASE_URL"}, 1},
		{"empty data dir", func(c *config.Config) { c.DataDir = "  " }, []string{"--data-dir / LOYAL_DATA_DIR must not be empty"}, 1},
		{"zero conns", func(c *config.Config) { c.DBConns = 0 }, []string{"--db-conns / LOYAL_DB_CONNS must be between 1 and 1000"}, 1},
		{"negative conns", func(c *config.Config) { c.DBConns = -4 }, []string{"LOYAL_DB_CONNS"}, 1},
		{"too many conns", func(c *config.Config) { c.DBConns = 1001 }, []string{"LOYAL_DB_CONNS"}, 1},
		{"google callbacks keys URL", func(c *config.Config) {
			c.Wallet.GoogleIssuerID, c.Wallet.GoogleKey, c.Wallet.GoogleRootKeys = "123", "config_test.go", "https://pay.google.com/gp/m/issuer/keys"
		}, nil, 0},
		{"google callbacks keys file missing", func(c *config.Config) {
			c.Wallet.GoogleIssuerID, c.Wallet.GoogleKey, c.Wallet.GoogleRootKeys = "123", "config_test.go", "/nonexistent/google-keys.json"
		}, []string{"--google-callback-keys: cannot read /nonexistent/google-keys.json"}, 1},
		{"google callbacks off", func(c *config.Config) {
			c.Wallet.GoogleIssuerID, c.Wallet.GoogleKey, c.Wallet.GoogleRootKeys = "123", "config_test.go", "off"
		}, nil, 0},
		{"every problem at once", func(c *config.Config) { c.Database = "ftp://x"; c.DBConns = 0 }, []string{"LOYAL_DATABASE_URL", "LOYAL_DB_CONNS"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(&c)
			err := c.Check()
			checkProblems(t, err, tt.wants, tt.n)
		})
	}
}

func checkProblems(t *testing.T, err error, wants []string, n int) {
	t.Helper()
	if wants == nil {
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Check = nil, want an error mentioning %q", wants)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "invalid configuration:") {
		t.Errorf("error %q should start with \"invalid configuration:\"", msg)
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not mention %q", msg, w)
		}
	}
	if got := strings.Count(msg, "\n  - "); got != n {
		t.Errorf("error lists %d problems, want %d:\n%s", got, n, msg)
	}
}

func TestValidateDoesNotShowThePassword(t *testing.T) {
	c := base()
	c.Database = "mysql://root:hunter2@db/loyal"
	if err := c.Check(); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Check = %v; want an error that does not repeat the password", err)
	}
}

func TestServerCheck(t *testing.T) {
	tests := []struct {
		name    string
		addr    string
		timeout time.Duration
		wants   []string
		n       int
	}{
		{"default", "127.0.0.1:8080", 30 * time.Second, nil, 0},
		{"all interfaces", ":8080", time.Second, nil, 0},
		{"any free port", "127.0.0.1:0", time.Second, nil, 0},
		{"localhost", "localhost:8080", time.Second, nil, 0},
		{"IPv6", "[::1]:8080", 10 * time.Minute, nil, 0},
		{"highest port", ":65535", time.Second, nil, 0},

		{"no port", "127.0.0.1", time.Second, []string{`--addr / LOYAL_ADDR "127.0.0.1" must be host:port`}, 1},
		{"only a number", "8080", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"empty", "", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"port not a number", "127.0.0.1:http", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"port out of range", ":65536", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"negative port", "127.0.0.1:-1", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"empty port", "127.0.0.1:", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"IPv6 without brackets", "::1:8080", time.Second, []string{"LOYAL_ADDR"}, 1},
		{"zero timeout", ":8080", 0, []string{"--shutdown-timeout / LOYAL_SHUTDOWN_TIMEOUT"}, 1},
		{"negative timeout", ":8080", -time.Second, []string{"LOYAL_SHUTDOWN_TIMEOUT"}, 1},
		{"timeout above 10m", ":8080", 10*time.Minute + time.Second, []string{"LOYAL_SHUTDOWN_TIMEOUT"}, 1},
		{"both wrong", "nope", 0, []string{"LOYAL_ADDR", "LOYAL_SHUTDOWN_TIMEOUT"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := config.Server{Addr: tt.addr, ShutdownTimeout: tt.timeout}.Check()
			checkProblems(t, err, tt.wants, tt.n)
		})
	}
}

// The throttles' settings: rates in range, proxies as addresses or CIDRs.
func TestServerLimits(t *testing.T) {
	ok := config.Server{Addr: ":8080", ShutdownTimeout: time.Second, TenantRate: 1000, AuthFailures: 10, TrustedProxies: []string{"10.0.0.0/8", " 192.0.2.7", "2001:db8::/32"}}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	if got := ok.Proxies(); len(got) != 3 || got[1].String() != "192.0.2.7/32" {
		t.Fatalf("proxies %v", got)
	}
	bad := config.Server{Addr: ":8080", ShutdownTimeout: time.Second, TenantRate: -1, AuthFailures: 10_001, TrustedProxies: []string{"proxy.internal"}}
	checkProblems(t, bad.Check(), []string{"LOYAL_TENANT_RATE", "LOYAL_AUTH_FAILURES", "LOYAL_TRUSTED_PROXIES"}, 3)
}

func TestMaskURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"postgres://loyal:s3cret@db.internal:5432/loyal?sslmode=require", "postgres://loyal:xxxxx@db.internal:5432/loyal?sslmode=require"},
		{"postgres://loyal:p%40ss%3Aword@db/loyal", "postgres://loyal:xxxxx@db/loyal"},
		{"postgres://loyal:@db/loyal", "postgres://loyal:xxxxx@db/loyal"}, // an empty password is still a password field
		{"postgres://loyal@db/loyal", "postgres://loyal@db/loyal"},
		{"postgres://db/loyal", "postgres://db/loyal"},
		{"sqlite:/var/lib/loyal.db", "sqlite:/var/lib/loyal.db"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := config.MaskURL(tt.in); got != tt.want {
			t.Errorf("MaskURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// PostgreSQL (pgx, like libpq) also takes the password as a query
// parameter, and Validate accepts such a URL; the start-up log must not
// show it either.
func TestMaskURLHidesPasswordQueryParameter(t *testing.T) {
	in := "postgres://loyal@db.internal:5432/loyal?password=s3cret&sslmode=require"
	c := base()
	c.Database = in
	if err := c.Check(); err != nil {
		t.Fatalf("Validate(%q): %v", in, err)
	}
	if got := config.MaskURL(in); strings.Contains(got, "s3cret") {
		t.Errorf("MaskURL(%q) = %q shows the password", in, got)
	}
	if got := fmt.Sprint(c.Describe()...); strings.Contains(got, "s3cret") {
		t.Errorf("Describe() = %s shows the password", got)
	}
}

func TestDSN(t *testing.T) {
	tests := []struct {
		name string
		c    config.Config
		want string
	}{
		{"sqlite file in the data dir", config.Config{DataDir: "/var/lib/loyal"}, filepath.Join("/var/lib/loyal", "loyal.db")},
		{"relative data dir", config.Config{DataDir: "./loyal-data"}, filepath.Join("loyal-data", "loyal.db")},
		{"postgres URL wins over data dir", config.Config{DataDir: "/var/lib/loyal", Database: "postgres://h/db"}, "postgres://h/db"},
		{"explicit sqlite file", config.Config{DataDir: "/var/lib/loyal", Database: "sqlite:/srv/other.db"}, "sqlite:/srv/other.db"},
	}
	for _, tt := range tests {
		if got := tt.c.DSN(); got != tt.want {
			t.Errorf("%s: DSN() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// describe turns Describe's key-value pairs into a map.
func describe(t *testing.T, c config.Config) map[string]string {
	t.Helper()
	kv := c.Describe()
	if len(kv)%2 != 0 {
		t.Fatalf("Describe() has an odd number of elements: %v", kv)
	}
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			t.Fatalf("Describe()[%d] = %v is not a key", i, kv[i])
		}
		m[k] = fmt.Sprint(kv[i+1])
	}
	return m
}

func TestDescribe(t *testing.T) {
	pg := base()
	pg.Database = "postgres://loyal:s3cret@db.internal:5432/loyal"
	pg.DBConns = 16
	got := describe(t, pg)
	want := map[string]string{
		"database":   "postgres postgres://loyal:xxxxx@db.internal:5432/loyal",
		"data_dir":   "./loyal-data",
		"log_level":  "info",
		"log_format": "text",
		"db_conns":   "16",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Describe()[%s] = %q, want %q", k, got[k], v)
		}
	}
	if s := fmt.Sprint(pg.Describe()...); strings.Contains(s, "s3cret") {
		t.Errorf("Describe() shows the password: %s", s)
	}

	lite := base()
	lite.DataDir = "/var/lib/loyal"
	if db := describe(t, lite)["database"]; db != "sqlite "+filepath.Join("/var/lib/loyal", "loyal.db") {
		t.Errorf("Describe()[database] = %q, want the SQLite file in the data dir", db)
	}
}
