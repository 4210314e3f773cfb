// A channel that only its maker holds carries values without a walk (DESIGN.md, "Local
// channels move nothing"). When the maker hands the channel to another program, every
// value already buffered in it and every value a blocked sender offers must be walked
// then, and channels found in them in turn, or the other program would read pages it was
// never given. Here the sender fills a channel, has two goroutines block on it, puts a
// second local channel (with values of its own) inside a third, hands both over and ends;
// a third program churns the pool (churner.go) before the receiver reads everything.
package main

import (
	"goos"
	"runtime"
	"strconv"
)

type Node struct {
	V    int
	Next *Node
	Tag  string
}

type Parcel struct {
	Jobs  chan *Node
	Boxes chan chan *Node
}

func node(v int) *Node {
	return &Node{V: v, Next: &Node{V: 1000 + v}, Tag: "n" + strconv.Itoa(v)}
}

func main() {
	goos.Lookup("pid").(chan int) <- goos.Pid()
	jobs := make(chan *Node, 50)
	for i := 0; i < 50; i++ {
		jobs <- node(i)
	}
	done := make(chan bool)
	for g := 0; g < 2; g++ {
		go func(v int) {
			jobs <- node(v) // blocks: the buffer is full
			done <- true
		}(100 + g)
	}
	for i := 0; i < 10; i++ {
		runtime.Gosched()
	}
	inner := make(chan *Node, 5)
	for i := 0; i < 5; i++ {
		inner <- node(500 + i)
	}
	boxes := make(chan chan *Node, 1)
	boxes <- inner
	goos.Lookup("take").(chan *Parcel) <- &Parcel{Jobs: jobs, Boxes: boxes}
	<-done
	<-done
	println("sender: done")
}
