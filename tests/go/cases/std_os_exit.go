// os.Exit ends the program at once with its status: deferred calls do not run and other
// goroutines end with it. os.Args holds the program name.
package main

import "os"

func main() {
	defer println("deferred: must not run")
	println("args:", len(os.Args), len(os.Args[0]) > 0, "pid:", os.Getpid() > 0)
	go func() {
		select {}
	}()
	println("exiting with 3")
	os.Exit(3)
	println("not reached")
}
