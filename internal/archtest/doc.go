// Package archtest enforces the project's dependency rules in a test, so
// that an import that breaks them fails `go test ./...`:
//
//   - internal/platform/... are leaf helpers: they import no package of this
//     module except other internal/platform packages.
//   - Domain packages (internal/access, audit, idempotency, party, program,
//     tenant, and any new internal/<name> that is not cli, config, app,
//     store, httpapi, web, demo, archtest or platform) never import
//     internal/store, httpapi, web, cli, config, app or demo, nor a driver or
//     database/sql: they own a Tx interface and never see SQL.
//   - internal/httpapi and internal/web (the web areas) call services, never
//     SQL: they import neither internal/store nor a driver nor database/sql.
//   - Only internal/app (the composition root), internal/demo, internal/cli
//     and internal/store's own subpackages import internal/store. Test files
//     are not checked: they may open real databases.
//   - Citus readiness (docs/SCALING.md): every primary key, unique index
//     and foreign key of a tenant table leads with tenant_id, and every SQL
//     statement in internal/store names tenant_id, except documented
//     global tables and statements.
//
// The package has no code besides this comment; the rules live in its test.
package archtest
