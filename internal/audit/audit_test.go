package audit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/audit"
)

// recordRE finds the entity type of audit.Record calls that name it as a
// literal: audit.Record(ctx, tx, p, at, action, "type", ...).
var recordRE = regexp.MustCompile(`audit\.Record\([^,]+,[^,]+,[^,]+,[^,]+,[^,]+, "([a-z_]+)",`)

// TestEveryEntityTypeHasAVisibility: whoever records a new entity type
// decides who may read its history (audit.ReadableTypes or AdminTypes),
// so that the audit log cannot show a read-scope key what its scope may
// not read.
func TestEveryEntityTypeHasAVisibility(t *testing.T) {
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		for _, m := range recordRE.FindAllStringSubmatch(string(src), -1) {
			found[m[1]] = path
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 10 {
		t.Fatalf("found only %d entity types: the pattern no longer matches the calls", len(found))
	}
	for typ, path := range found {
		if !slices.Contains(audit.ReadableTypes, typ) && !slices.Contains(audit.AdminTypes, typ) {
			t.Errorf("%s records %q entries: add the type to audit.ReadableTypes or audit.AdminTypes", path, typ)
		}
	}
	for _, typ := range audit.AdminTypes {
		if slices.Contains(audit.ReadableTypes, typ) {
			t.Errorf("%q is both readable and admin-only", typ)
		}
	}
}
