// Package variables reached from a sent value are walked like heap objects (DESIGN.md,
// "Layout records": image data has records too): what they point to is held by the
// receiver and outlives the sender. The sender sends a pointer to a package variable, a
// slice of a package array, and a map whose values point at package variables (a word a
// walk finds by the map's layout record, with no type); after the send it stores a fresh
// object into the shared variable (an exposure), then ends. The receiver reads it all
// after a third program has churned through the pool (churner.go).
package main

import "goos"

type Node struct {
	V    int
	Next *Node
}

type Holder struct {
	N     *Node
	Later *Node
	Names map[string]*Node
	List  []*Node
}

var g Holder
var arr [64]*Node
var other = Holder{N: &Node{V: 77}}
var byName = map[string]*Holder{}

func main() {
	goos.Lookup("pid").(chan int) <- goos.Pid()
	g.N = &Node{V: 1, Next: &Node{V: 2}}
	g.Names = map[string]*Node{"x": {V: 10}, "yy": {V: 20}}
	for i := 0; i < 100; i++ {
		g.List = append(g.List, &Node{V: i})
	}
	for i := range arr {
		arr[i] = &Node{V: 1000 + i}
	}
	other.N.Next = &Node{V: 78}
	byName["other"] = &other
	goos.Lookup("holder").(chan *Holder) <- &g
	goos.Lookup("arr").(chan []*Node) <- arr[8:40]
	goos.Lookup("byname").(chan map[string]*Holder) <- byName
	g.Later = &Node{V: 5, Next: &Node{V: 6}} // the receiver holds g's page: exposed
	println("sender: done")
}
