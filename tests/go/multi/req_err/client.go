// A server fills in a request its client waits on, as ordinary Go does: `req.Err = err`,
// an interface stored into an object both programs reach. The client's call of
// req.Err.Error() runs the client's own method (DESIGN.md, "Methods stay with their
// program": the server's method table holds stubs), and its type switch takes the case
// of its own NotFound, the same type by structure.
package main

import "goos"

type Request struct {
	Key  int
	Err  error
	Done chan bool
}

type NotFound struct{ Key int }

func (e NotFound) Error() string { return "client's NotFound.Error" }

func main() {
	requests := goos.Lookup("requests").(chan *Request)
	req := &Request{Key: 7, Done: make(chan bool)}
	requests <- req
	<-req.Done
	println("client:", req.Err.Error())
	switch e := req.Err.(type) {
	case NotFound:
		println("client: a NotFound for key", e.Key)
	default:
		println("client: some other error")
	}
	close(requests)
}
