// Prints Go's answers for duration formatting and parsing, one line per input line:
//   "F <nanoseconds>" -> time.Duration(n).String()
//   "P <text>"        -> nanoseconds of time.ParseDuration(text), or "error"
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		line := in.Text()
		arg := line[2:]
		switch line[0] {
		case 'F':
			n, _ := strconv.ParseInt(arg, 10, 64)
			fmt.Println(time.Duration(n).String())
		case 'P':
			d, err := time.ParseDuration(arg)
			if err != nil {
				fmt.Println("error")
			} else {
				fmt.Println(int64(d))
			}
		}
	}
}
