package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/cli"
)

func TestVersion(t *testing.T) {
	clearEnv(t)
	dir := filepath.Join(t.TempDir(), "data")
	r := mustRun(t, "--data-dir", dir, "version")
	if want := "loyal " + cli.Version + "\n"; r.out != want {
		t.Errorf("stdout = %q, want %q", r.out, want)
	}
	if cli.Version == "" {
		t.Error("Version is empty")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("version touched the data directory (stat: %v)", err)
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args  []string
		wants []string
	}{
		{[]string{"--help"}, []string{"Usage: loyal",
			"serve", "demo", "migrate", "admin tenant create", "admin staff create", "admin staff list", "admin key create", "admin key revoke", "version",
			"--database", "LOYAL_DATABASE_URL", "--data-dir", "LOYAL_DATA_DIR", "--log-level", "LOYAL_LOG_LEVEL",
			"--log-format", "LOYAL_LOG_FORMAT", "--db-conns", "LOYAL_DB_CONNS"}},
		{[]string{"serve", "--help"}, []string{"Usage: loyal serve",
			"--addr", "LOYAL_ADDR", "127.0.0.1:8080", "--shutdown-timeout", "LOYAL_SHUTDOWN_TIMEOUT", "--demo", "LOYAL_DEMO",
			"--database", "LOYAL_DATABASE_URL", "--data-dir", "LOYAL_DATA_DIR"}},
		{[]string{"demo", "--help"}, []string{"Usage: loyal demo", "--addr", "LOYAL_ADDR"}},
		{[]string{"admin", "key", "create", "--help"}, []string{"Usage: loyal admin key create",
			"--tenant", "--name", "--scope", "read,write,admin", "--staff", "LOYAL_DATABASE_URL", "LOYAL_DATA_DIR"}},
		{[]string{"admin", "staff", "create", "--help"}, []string{"--tenant", "--email", "--name", "--role", "program_manager"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			clearEnv(t)
			dir := filepath.Join(t.TempDir(), "data")
			r := run(t, append([]string{"--data-dir", dir}, tt.args...)...)
			if r.code != 0 {
				t.Fatalf("want exit 0: %v", r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.out, w) {
					t.Errorf("help does not mention %q:\n%s", w, r.out)
				}
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("help touched the data directory (stat: %v)", err)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		wants []string // in stderr
	}{
		{"unknown command", []string{"frobnicate"}, []string{"frobnicate"}},
		{"no command", []string{}, []string{"expected"}},
		{"unknown flag", []string{"--bogus", "version"}, []string{"--bogus"}},
		{"unknown subcommand", []string{"admin", "tenant", "delete"}, []string{"delete"}},
		{"missing required flag", []string{"admin", "tenant", "create", "--slug", "acme"}, []string{"--name"}},
		{"scope not in the list", []string{"admin", "key", "create", "--tenant", "acme", "--name", "k", "--scope", "root"}, []string{"--scope", "root"}},
		{"role not in the list", []string{"admin", "staff", "create", "--tenant", "acme", "--email", "a@b.example", "--name", "A", "--role", "boss"}, []string{"--role", "boss"}},
		{"log level not in the list", []string{"--log-level", "loud", "version"}, []string{"--log-level", "loud"}},
		{"db conns not a number", []string{"--db-conns", "many", "version"}, []string{"--db-conns"}},
		{"key id missing", []string{"admin", "key", "revoke", "--tenant", "acme"}, []string{"<id>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			dir := filepath.Join(t.TempDir(), "data")
			r := run(t, append([]string{"--data-dir", dir}, tt.args...)...)
			if r.code == 0 {
				t.Fatalf("want a non-zero exit: %v", r)
			}
			if !strings.HasPrefix(r.errOut, "loyal: ") {
				t.Errorf("stderr should start with \"loyal: \": %v", r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("stderr does not mention %q: %v", w, r)
				}
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a usage error touched the data directory (stat: %v)", err)
			}
		})
	}
}

// A configuration that parses but is wrong is a runtime failure (exit 1)
// with a message that names the setting, whether it came from a flag or
// from the environment, and nothing is written.
func TestInvalidConfiguration(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		wants []string
	}{
		{"database flag", nil, []string{"--database", "ftp://x", "migrate"}, []string{"invalid configuration", "--database / LOYAL_DATABASE_URL", "postgres://"}},
		{"database variable", map[string]string{"LOYAL_DATABASE_URL": "ftp://x"}, []string{"migrate"}, []string{"invalid configuration", "LOYAL_DATABASE_URL"}},
		{"db conns", nil, []string{"--db-conns", "0", "admin", "tenant", "create", "--slug", "acme", "--name", "Acme"}, []string{"invalid configuration", "LOYAL_DB_CONNS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			dir := filepath.Join(t.TempDir(), "data")
			r := run(t, append([]string{"--data-dir", dir}, tt.args...)...)
			if r.code != 1 {
				t.Errorf("exit code = %d, want 1: %v", r.code, r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("stderr does not mention %q: %v", w, r)
				}
			}
			if r.out != "" {
				t.Errorf("stdout = %q, want nothing", r.out)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("an invalid configuration touched the data directory (stat: %v)", err)
			}
		})
	}
}

var schemaLine = regexp.MustCompile(`^database schema is at version ([1-9][0-9]*) \((sqlite|postgres)\)\n$`)

func TestMigrate(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		first := mustRun(t, d.with("migrate")...)
		m := schemaLine.FindStringSubmatch(first.out)
		if m == nil {
			t.Fatalf("stdout = %q, want the schema version", first.out)
		}
		if m[2] != string(d.engine) {
			t.Errorf("engine = %s, want %s", m[2], d.engine)
		}
		if !strings.Contains(first.errOut, "database migrated") {
			t.Errorf("the first migrate should log what it applied: %v", first)
		}
		again := mustRun(t, d.with("migrate")...)
		if again.out != first.out {
			t.Errorf("second migrate printed %q, want %q", again.out, first.out)
		}
		if strings.Contains(again.errOut, "database migrated") {
			t.Errorf("the second migrate applied migrations again: %v", again)
		}
		if d.dsn == "" {
			if _, err := os.Stat(filepath.Join(d.dir, "loyal.db")); err != nil {
				t.Errorf("no SQLite file in the data directory: %v", err)
			}
		}
	})
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	clearEnv(t)
	fromEnv, fromFlag := t.TempDir(), t.TempDir()
	t.Setenv("LOYAL_DATA_DIR", fromEnv)
	mustRun(t, "migrate")
	if _, err := os.Stat(filepath.Join(fromEnv, "loyal.db")); err != nil {
		t.Fatalf("LOYAL_DATA_DIR was not used: %v", err)
	}
	if err := os.Remove(filepath.Join(fromEnv, "loyal.db")); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--data-dir", fromFlag, "migrate")
	if _, err := os.Stat(filepath.Join(fromFlag, "loyal.db")); err != nil {
		t.Errorf("--data-dir was not used: %v", err)
	}
	if _, err := os.Stat(filepath.Join(fromEnv, "loyal.db")); !os.IsNotExist(err) {
		t.Errorf("LOYAL_DATA_DIR was used although --data-dir was given (stat: %v)", err)
	}
}

func TestLogSettings(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    string // in stderr; "" for no log line at all
		notWant string
	}{
		{"text by default", nil, nil, `level=INFO msg="database migrated"`, ""},
		{"json flag", []string{"--log-format", "json"}, nil, `"msg":"database migrated"`, "level=INFO"},
		{"json variable", nil, map[string]string{"LOYAL_LOG_FORMAT": "json"}, `"msg":"database migrated"`, "level=INFO"},
		{"warn hides info", []string{"--log-level", "warn"}, nil, "", "database migrated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := append([]string{"--data-dir", t.TempDir()}, tt.args...)
			r := mustRun(t, append(args, "migrate")...)
			if tt.want != "" && !strings.Contains(r.errOut, tt.want) {
				t.Errorf("stderr does not contain %q: %v", tt.want, r)
			}
			if tt.want == "" && r.errOut != "" {
				t.Errorf("stderr = %q, want nothing", r.errOut)
			}
			if tt.notWant != "" && strings.Contains(r.errOut, tt.notWant) {
				t.Errorf("stderr contains %q: %v", tt.notWant, r)
			}
		})
	}
}
