// Takes the lists, then, once the storer has stopped, reads what it stored last through
// the list it was given (it holds that object: the store granted it to every holder of s).
package main

import "goos"

type T struct{ N int }

type S struct{ P *T }

type Node struct {
	Next *Node
	S    *S
}

func main() {
	lists := make(chan *Node)
	goos.Publish("lists", lists)
	last := goos.Lookup("last").(chan int)
	<-goos.Lookup("share").(chan *S)
	var head *Node
	var lengths [3]int
	for round := range lengths {
		head = <-lists
		for x := head; x != nil; x = x.Next {
			lengths[round]++
		}
	}
	n := <-last
	for round, l := range lengths {
		println("reader: list", round, "has", l, "nodes")
	}
	println("reader: the last value stored is there:", head.S.P.N == n)
}
