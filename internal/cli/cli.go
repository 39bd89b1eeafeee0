// Package cli is the `loyal` command line: one file per subcommand. It
// parses flags and LOYAL_* variables into the configuration, opens the app
// and runs the command.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// Version is the release; builds may set it with -ldflags "-X github.com/loyal-b2b/loyal/internal/cli.Version=v1.2.3".
var Version = "0.1.0-dev"

type root struct {
	config.Config `embed:""`
	ShowVersion   kong.VersionFlag `name:"version" help:"Print the version and exit."`

	Serve     serveCmd     `cmd:"" help:"Run the API server (SQLite by default, PostgreSQL with --database)."`
	Demo      demoCmd      `cmd:"" help:"Create a demo tenant (or reuse it), print an API key, and run the server."`
	Migrate   migrateCmd   `cmd:"" help:"Apply database migrations and exit (serve also migrates on start)."`
	Admin     adminCmd     `cmd:"" help:"Manage tenants, staff users and API keys."`
	Ledger    ledgerCmd    `cmd:"" help:"Ledger maintenance: check."`
	Jobs      jobsCmd      `cmd:"" help:"Run background jobs once (the server runs them on its own)."`
	Import    importCmd    `cmd:"" help:"Import invoice lines from an ERP export (CSV or XLSX) as invoice and return events."`
	Economics economicsCmd `cmd:"" help:"Economics calculator: discount vs bonus, volume to pay for a discount, membership break-even."`
	Simulate  simulateCmd  `cmd:"" help:"Replay stored events through program variants in memory and compare their cost side by side."`
	Analytics analyticsCmd `cmd:"" help:"Analytics maintenance: backfill sales facts of events stored before analytics."`
	Bench     benchCmd     `cmd:"" help:"Benchmarks on generated data."`
	Backup    backupCmd    `cmd:"" help:"Write a consistent copy of the database while it runs, once or on a schedule."`
	People    peopleCmd    `cmd:"" help:"Personal data: export everything about a person, or erase them."`
	Restore   restoreCmd   `cmd:"" help:"Put a backup back as the database (stop the server first) and run the ledger check."`
	Version   versionCmd   `cmd:"" help:"Print the version."`
}

// env is what every command's Run receives.
type env struct {
	cfg    config.Config
	out    io.Writer
	errOut io.Writer
	log    *slog.Logger
	clock  clock.Clock
}

// openApp opens the database with the global configuration.
func (e *env) openApp(ctx context.Context) (*app.App, error) {
	return app.Open(ctx, e.cfg, e.log, e.clock)
}

// Main runs the command line and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	var r root
	exit := -1
	parser, err := kong.New(&r,
		kong.Name("loyal"),
		kong.Vars{"version": "loyal " + Version},
		kong.Description("Loyal: loyalty programs for business customers, channel partners and their people."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exit = code }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintln(stderr, "loyal:", err)
		return 2
	}
	kctx, err := parser.Parse(args)
	if exit >= 0 {
		return exit // --help or a usage error, already printed
	}
	if err != nil {
		fmt.Fprintln(stderr, "loyal:", err)
		return 2
	}
	e := &env{cfg: r.Config, out: stdout, errOut: stderr, log: newLogger(r.Config, stderr), clock: clock.System{}}
	if err := kctx.Run(e); err != nil {
		fmt.Fprintln(stderr, "loyal:", err)
		var ee exitError
		if errors.As(err, &ee) {
			return int(ee)
		}
		return 1
	}
	return 0
}

// exitError is returned by a command that wants a specific exit code.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func newLogger(c config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// signalContext is cancelled on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

type versionCmd struct{}

func (versionCmd) Run(e *env) error {
	fmt.Fprintln(e.out, "loyal", Version)
	return nil
}

type migrateCmd struct{}

func (migrateCmd) Run(e *env) error {
	if err := e.cfg.Check(); err != nil {
		return err
	}
	ctx := context.Background()
	a, err := e.openApp(ctx) // Open migrates
	if err != nil {
		return err
	}
	defer a.Close()
	v, _, err := a.DB.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "database schema is at version %d (%s)\n", v, a.DB.Engine())
	return nil
}
