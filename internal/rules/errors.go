package rules

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Stable error codes.
const (
	codeInvalid    = "rule_invalid"     // the expression cannot be saved
	codeEvalFailed = "rule_eval_failed" // the expression failed on these inputs
)

// maxShown caps how many problems the message of a compile error lists;
// Positions still returns them all.
const maxShown = 5

// CompileError is one problem the checker found in an expression, at a
// 1-based line and column (0 when the problem has no position).
type CompileError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// String reads like "line 1, column 7: undefined field 'amout'".
func (c CompileError) String() string {
	if c.Line <= 0 {
		return c.Message
	}
	return fmt.Sprintf("line %d, column %d: %s", c.Line, c.Column, c.Message)
}

// invalidExpr is the error Compile returns for a parse or check failure.
// It unwraps to the *errs.Error every layer knows how to report, and keeps
// the positions for callers that show them one by one (live validation).
type invalidExpr struct {
	err  *errs.Error
	list []CompileError
}

func (e *invalidExpr) Error() string { return e.err.Error() }
func (e *invalidExpr) Unwrap() error { return e.err }

// Positions returns the problems of an error returned by Compile, each with
// its position; nil when err is not about positions (an empty source, a
// wrong result type) or is not from Compile.
func Positions(err error) []CompileError {
	var ie *invalidExpr
	if errors.As(err, &ie) {
		return ie.list
	}
	return nil
}

// compileError turns CEL's issues into an Invalid error listing them.
func compileError(kind Kind, lineScope bool, iss *cel.Issues) error {
	var list []CompileError
	for _, e := range iss.Errors() {
		c := CompileError{Message: cleanMessage(e.Message, lineScope)}
		if loc := e.Location; loc != nil && loc.Line() > 0 {
			c.Line, c.Column = loc.Line(), loc.Column()+1 // CEL counts columns from 0
		}
		list = append(list, c)
	}
	shown := make([]string, 0, maxShown)
	for i, c := range list {
		if i == maxShown {
			shown = append(shown, fmt.Sprintf("and %d more", len(list)-maxShown))
			break
		}
		shown = append(shown, c.String())
	}
	msg := strings.Join(shown, "; ")
	if len(list) == 0 {
		msg = "the expression is invalid"
	}
	return &invalidExpr{err: errs.E(errs.Invalid, codeInvalid, "%s: %s", kind, msg), list: list}
}

// operatorNames spells CEL's internal operator names as they are written.
var operatorNames = strings.NewReplacer(
	"'_+_'", "'+'", "'_-_'", "'-'", "'_*_'", "'*'", "'_/_'", "'/'", "'_%_'", "'%'",
	"'_==_'", "'=='", "'_!=_'", "'!='", "'_<_'", "'<'", "'_<=_'", "'<='",
	"'_>_'", "'>'", "'_>=_'", "'>='", "'_&&_'", "'&&'", "'_||_'", "'||'",
	"'!_'", "'!'", "'-_'", "'-'", "'_?_:_'", "'? :'", "'_[_]'", "'[]'", "'@in'", "'in'",
	" (in container '')", "",
)

// cleanMessage rewrites CEL's messages in the rule author's terms.
func cleanMessage(m string, lineScope bool) string {
	m = operatorNames.Replace(m)
	if rest, ok := strings.CutPrefix(m, "Syntax error: "); ok {
		m = "syntax error: " + syntaxMessage(rest)
	}
	if !lineScope && m == "undeclared reference to 'line'" {
		m += " (line is only available in per-line expressions)"
	}
	return m
}

// syntaxPrefixes start the parser's messages that name an offending token.
var syntaxPrefixes = []string{"mismatched input ", "extraneous input ", "no viable alternative at input ", "token recognition error at: "}

// syntaxMessage shortens the parser's messages, whose lists of expected
// tokens mean nothing to a rule author; the position says where.
func syntaxMessage(m string) string {
	if strings.HasPrefix(m, "mismatched input '<EOF>'") {
		return "the expression ends too early"
	}
	for _, p := range syntaxPrefixes {
		if rest, ok := strings.CutPrefix(m, p); ok {
			tok, _, _ := strings.Cut(rest, " expecting ")
			return "unexpected " + tok
		}
	}
	return m
}

// costString spells an estimated cost, which may be unbounded.
func costString(c uint64) string {
	if c == math.MaxUint64 {
		return "unbounded"
	}
	return strconv.FormatUint(c, 10)
}
