// Envsubst oracle: answers with github.com/drone/envsubst (Debian's golang-github-drone-envsubst-dev), the library
// Flux's post-build substitution forked, so PostBuildSubstitution can be compared with it expression by expression.
// Reads JSON lines {"input": "...", "vars": {"NAME": "value"}} on stdin and writes each line back with "output"
// or "error" added. Unset variables read as empty strings (Flux's non-strict mapping); a Go panic is reported as
// an error "panic: ...".
//
// Build (GOPATH mode, offline): scripts/install-test-deps.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/drone/envsubst"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 16<<20)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for in.Scan() {
		var c map[string]interface{}
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			os.Exit(2)
		}
		vars := map[string]string{}
		if m, ok := c["vars"].(map[string]interface{}); ok {
			for k, v := range m {
				vars[k], _ = v.(string)
			}
		}
		input, _ := c["input"].(string)
		output, err := eval(input, vars)
		if err != nil {
			c["error"] = err.Error()
		} else {
			c["output"] = output
		}
		if err := out.Encode(c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func eval(input string, vars map[string]string) (output string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return envsubst.Eval(input, func(name string) string { return vars[name] })
}
