package admin

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// The console's imports run in the serving process: an uploaded file is
// kept in a temporary file while its mapping is chosen, a run reports its
// progress here for the page to poll, and a finished run keeps every
// rejected row for the error file. All of it is forgotten after keepImport
// (the import's record, with its first rejected rows, stays in the
// database). Behind a load balancer, the console needs sticky sessions.
const (
	keepImport    = time.Hour
	maxUpload     = 100 << 20 // as the API's import
	importsAtOnce = 2         // runs at the same time; more wait their turn
	previewRows   = 10
)

// upload is a file waiting for its mapping.
type upload struct {
	id, tenant, staff, name, path string
	size                          int64
	at                            time.Time
}

// importRun is one run: its progress, then its result.
type importRun struct {
	id, tenant string
	at         time.Time
	mu         sync.Mutex
	stage      string // queued, read, ingest, done
	done       int
	total      int
	res        importer.Result
	err        error
}

// importJobs holds the uploads and runs of the last hour.
type importJobs struct {
	mu      sync.Mutex
	uploads map[string]*upload
	runs    map[string]*importRun
	slots   chan struct{}
}

func newImportJobs() *importJobs {
	return &importJobs{uploads: map[string]*upload{}, runs: map[string]*importRun{}, slots: make(chan struct{}, importsAtOnce)}
}

// keep stores an uploaded file (at most maxUpload bytes).
func (j *importJobs) keep(tenant, staff, name string, body io.Reader, now time.Time) (*upload, error) {
	f, err := os.CreateTemp("", "loyal-import-*")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := io.Copy(f, io.LimitReader(body, maxUpload+1))
	if err == nil && n > maxUpload {
		err = errs.E(errs.TooLarge, "file_too_large", "the file is larger than 100 MiB: split it into smaller files")
	}
	if err == nil && n == 0 {
		err = errs.InvalidField("file", "required", "choose a CSV or XLSX file to upload")
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return nil, err
	}
	u := &upload{id: ids.Token(16), tenant: tenant, staff: staff, name: name, path: f.Name(), size: n, at: now}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.sweep(now)
	j.uploads[u.id] = u
	return u, nil
}

// upload finds a file uploaded by this staff user of this tenant.
func (j *importJobs) upload(id, tenant, staff string) (*upload, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	u := j.uploads[id]
	if u == nil || u.tenant != tenant || u.staff != staff {
		return nil, errs.E(errs.NotFound, "upload_gone", "this upload is no longer kept (uploads are kept for an hour): upload the file again")
	}
	return u, nil
}

// run finds a run of this tenant.
func (j *importJobs) run(id, tenant string) (*importRun, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := j.runs[id]
	if r == nil || r.tenant != tenant {
		return nil, errs.E(errs.NotFound, "run_gone", "this import run is not known here (runs are followed for an hour); its record is in the list of imports")
	}
	return r, nil
}

// byImport finds the finished run that recorded an import.
func (j *importJobs) byImport(importID, tenant string) *importRun {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, r := range j.runs {
		if r.tenant == tenant && r.finished() && r.res.Import.ID == importID {
			return r
		}
	}
	return nil
}

// start registers a run and does it in the background, at most
// importsAtOnce at a time.
func (j *importJobs) start(tenant string, now time.Time, work func(*importRun) (importer.Result, error)) *importRun {
	r := &importRun{id: ids.Token(16), tenant: tenant, at: now, stage: "queued"}
	j.mu.Lock()
	j.runs[r.id] = r
	j.mu.Unlock()
	go func() {
		j.slots <- struct{}{}
		defer func() { <-j.slots }()
		res, err := work(r)
		r.mu.Lock()
		r.res, r.err, r.stage = res, err, "done"
		r.mu.Unlock()
	}()
	return r
}

// progress is the Progress of a run.
func (r *importRun) progress(stage string, done, total int) {
	r.mu.Lock()
	r.stage, r.done, r.total = stage, done, total
	r.mu.Unlock()
}

func (r *importRun) finished() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stage == "done"
}

// close forgets every upload and removes its file.
func (j *importJobs) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var errs []error
	for id, u := range j.uploads {
		if err := os.Remove(u.path); err != nil && !os.IsNotExist(err) {
			errs = append(errs, err)
		}
		delete(j.uploads, id)
	}
	return errors.Join(errs...)
}

// sweep forgets what is older than keepImport (the lock is held).
func (j *importJobs) sweep(now time.Time) {
	for id, u := range j.uploads {
		if now.Sub(u.at) > keepImport {
			_ = os.Remove(u.path)
			delete(j.uploads, id)
		}
	}
	for id, r := range j.runs {
		if now.Sub(r.at) > keepImport && r.finished() {
			delete(j.runs, id)
		}
	}
}
