package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// Stdin is where commands read secrets (passwords); tests replace it.
var Stdin io.Reader = os.Stdin

// readPassword reads a password: asked without echo at a terminal, else
// the first line of standard input (for scripts: echo "$PW" | loyal …).
func readPassword(e *env, prompt string) (string, error) {
	if f, ok := Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.errOut, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.errOut)
		return string(b), err
	}
	line, err := bufio.NewReader(Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password on standard input; pipe one line, e.g. printf '%%s\\n' \"$PASSWORD\" | loyal admin staff …")
	}
	return pw, nil
}
