// A message discarded unread while its sender still uses what it carried (DESIGN.md, "The
// origin frees": a message is a holder, and objects on a page it held are freed only by
// their origin, once no one else holds the page). The taker ends without receiving; the
// owner lets go of the channel, so the channel and its message die; the owner goes on
// using what it sent while a third program churns through the pool.
package main

import (
	"goos"
	"runtime"
)

type Rec struct {
	ID   int
	Tags []string
	Next *Rec
}

func main() {
	box := goos.Lookup("box").(chan *Rec)
	taker := goos.Watch(<-goos.Lookup("pid").(chan int))
	r := &Rec{ID: 12345, Tags: []string{"kept", "after", "discard"}, Next: &Rec{ID: 678}}
	box <- r
	box <- r.Next
	box = nil
	<-taker
	runtime.GC() // no hold on the box remains: it dies with its two messages
	churn := goos.Lookup("churn").(chan int)
	churn <- 1
	<-churn
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	println("owner:", r.ID, r.Tags[0], r.Tags[1], r.Tags[2], r.Next.ID)
}
