// Receives the builder's list, waits until the builder has exited and another program has
// overwritten the memory it could get, then walks the list, collects, and walks it again.
package main

import (
	"goos"
	"runtime"
	"strconv"
)

type Node struct {
	Value int
	Label string
	Next  *Node
}

type List struct {
	Head *Node
	Len  int
	From int
	Tag  string
}

func check(l List, when string) {
	n, sum, statics, labelled := 0, 0, 0, 0
	for p := l.Head; p != nil; p = p.Next {
		n++
		sum += p.Value
		if p.Label == "static" {
			statics++
		} else if p.Label == "node "+strconv.Itoa(p.Value) {
			labelled++
		}
	}
	println("walker:", when+":", n, "nodes, sum", sum, "labels", statics, "static", labelled, "built;", l.Tag)
}

func main() {
	lists := make(chan List)
	if err := goos.Publish("lists", lists); err != nil {
		panic(err.Error())
	}
	l := <-lists
	<-goos.Watch(l.From)
	println("walker: the builder has exited")
	churn := goos.Lookup("churn").(chan chan int)
	done := make(chan int)
	churn <- done
	println("walker: another program took and overwrote", <-done, "MiB")
	check(l, "after the builder exited")
	var garbage []byte
	for i := 0; i < 300; i++ {
		garbage = make([]byte, 32<<10)
		garbage[i] = byte(i)
	}
	runtime.GC()
	check(l, "after collections")
	l.Head = nil
	runtime.GC()
	println("walker: done")
}
