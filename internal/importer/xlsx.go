package importer

import (
	"archive/zip"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Limits bound what a file may cost to read. An XLSX file is a zip
// archive: a few kilobytes can declare gigabytes of XML (a zip bomb), so
// the total unpacked size is capped before anything is unpacked.
type Limits struct {
	XLSXBytes     int64 // size of the .xlsx file itself
	UnzipBytes    int64 // total unpacked size of its parts
	UnzipXMLBytes int64 // a worksheet larger than this is streamed from a temporary file
}

// DefaultLimits suit files of a few million lines.
var DefaultLimits = Limits{XLSXBytes: 100 << 20, UnzipBytes: 1 << 30, UnzipXMLBytes: 16 << 20}

func openXLSX(r io.Reader, m *Mapping, lim Limits) (Table, error) {
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	lr := &io.LimitedReader{R: r, N: lim.XLSXBytes + 1}
	f, err := excelize.OpenReader(lr, excelize.Options{UnzipSizeLimit: lim.UnzipBytes, UnzipXMLSizeLimit: min(lim.UnzipXMLBytes, lim.UnzipBytes)})
	switch {
	case lr.N <= 0:
		return nil, errs.E(errs.TooLarge, "file_too_large", "the XLSX file is larger than %d MiB: split it or export it as CSV", lim.XLSXBytes>>20)
	case err != nil && strings.Contains(err.Error(), "unzip size"):
		return nil, errs.E(errs.Invalid, "xlsx_too_large_unpacked", "the XLSX file unpacks to more than %d MiB (a zip bomb or a huge workbook): export it as CSV instead", lim.UnzipBytes>>20)
	case errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, errs.E(errs.Invalid, "unreadable_xlsx", "the file starts like an XLSX (zip) file but is not a readable workbook: %v", err).Wrap(err)
	case err != nil:
		return nil, errs.E(errs.Invalid, "unreadable_xlsx", "the XLSX workbook could not be read: %v", err).Wrap(err)
	}
	sheet := m.Sheet
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		_ = f.Close()
		return nil, errs.InvalidField("sheet", "unknown_sheet", "the workbook has no sheet %q (it has %s)", sheet, strings.Join(f.GetSheetList(), ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		_ = f.Close()
		return nil, errs.E(errs.Invalid, "unreadable_xlsx", "sheet %q could not be read: %v", sheet, err).Wrap(err)
	}
	t := &xlsxTable{f: f, rows: rows}
	hdr, err := t.Next()
	if err != nil {
		_ = t.Close()
		if errors.Is(err, io.EOF) {
			return nil, errs.E(errs.Invalid, "empty_file", "sheet %q is empty: it needs a header row and at least one line", sheet)
		}
		return nil, err
	}
	t.header = trimAll(hdr)
	return t, nil
}

// xlsxTable streams a sheet's rows, with raw cell values: numbers as
// written (not as formatted for display) and dates as serial numbers.
type xlsxTable struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
}

func (t *xlsxTable) Header() []string { return t.header }
func (t *xlsxTable) Serial() bool     { return true }

func (t *xlsxTable) Next() ([]string, error) {
	for t.rows.Next() {
		cols, err := t.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, errs.E(errs.Invalid, "unreadable_xlsx", "a row of the sheet could not be read: %v", err).Wrap(err)
		}
		if len(cols) > 0 {
			return cols, nil
		}
	}
	if err := t.rows.Error(); err != nil {
		return nil, errs.E(errs.Invalid, "unreadable_xlsx", "the sheet could not be read: %v", err).Wrap(err)
	}
	return nil, io.EOF
}

func (t *xlsxTable) Close() error {
	return errors.Join(t.rows.Close(), t.f.Close())
}
