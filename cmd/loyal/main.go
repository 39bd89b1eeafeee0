// Command loyal is the Loyal server and its tools: see `loyal --help`.
package main

import (
	"os"

	"github.com/loyal-b2b/loyal/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
