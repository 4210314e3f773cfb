// A store into an object another program holds (DESIGN.md, "Stores into shared objects
// expose"): the owner sends s and keeps it, then stores x into s.F and y into the map s.M;
// the taker takes both out of s, so that the owner no longer reaches them, and puts them
// back later. Meanwhile the owner
// collects and fills fresh objects of x's size. Without the write barrier the owner's store
// handed x to no one: its collector freed x, its allocator gave the slot to a filler, and the
// taker read the filler's numbers as x (and as y).
package main

import (
	"goos"
	"runtime"
)

type Item struct {
	V    int
	Tags []string
}

type S struct {
	F *Item
	M map[int]*Item
}

var keep []*Item

func main() {
	box := goos.Lookup("box").(chan *S)
	step := goos.Lookup("step").(chan int)
	s := &S{M: map[int]*Item{}}
	box <- s
	<-step // the taker holds s
	s.F = &Item{V: 42, Tags: []string{"kept", "by", "the", "taker"}}
	s.M[1] = &Item{V: 7, Tags: []string{"from", "a", "map"}}
	step <- 1
	<-step // the taker took it out: the owner reaches it no more
	for round := 0; round < 8; round++ {
		runtime.GC()
		for i := 0; i < 2000; i++ {
			keep = append(keep, &Item{V: -1, Tags: []string{"filler", "filler", "filler", "filler"}})
		}
	}
	step <- 1
	<-step // the taker put it back
	println("owner: got back", s.F.V, s.F.Tags[0], s.F.Tags[3], s.M[1].V, s.M[1].Tags[2], "fillers", len(keep))
}
