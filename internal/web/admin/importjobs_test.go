package admin

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// The files kept while an import's mapping is chosen are removed when the
// console closes (the server stops): none is left in the temporary
// directory, and the uploads are forgotten.
func TestKeptUploadsRemovedOnClose(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	j := newImportJobs()
	var kept []*upload
	for range 3 {
		u, err := j.keep("t1", "s1", "lines.csv", strings.NewReader("InvoiceNo,StockCode\n1,A\n"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, u)
	}
	if err := (&Handler{jobs: j}).Close(); err != nil {
		t.Fatal(err)
	}
	for _, u := range kept {
		if _, err := os.Stat(u.path); !os.IsNotExist(err) {
			t.Errorf("%s is still there after closing (%v)", u.path, err)
		}
		if _, err := j.upload(u.id, "t1", "s1"); !errs.Is(err, errs.NotFound) {
			t.Errorf("upload %s still known after closing: %v", u.id, err)
		}
	}
	if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
		t.Errorf("the temporary directory holds %d files after closing", len(left))
	}
}
