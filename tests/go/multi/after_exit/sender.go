// What one program hands another must stay whole after the sender ends, whatever shape
// it has (DESIGN.md, "Sending": a send walks the value by layout records, maps and
// unnamed composite types included): channels and pointers inside maps, slices of slices,
// slices of unnamed structs, and half of a buffer whose other half the sender goes on
// writing before it exits. The receiver reads everything after the sender has ended and a
// third program has churned through the pool writing garbage (churner.go), so a page
// given back too early would show.
package main

import "goos"

type Node struct {
	V    int
	Next *Node
}

type Bundle struct {
	Chans map[string]chan int
	Nodes map[int]*Node
	Grid  [][]*Node
	Rows  []struct{ P *Node }
}

func main() {
	goos.Lookup("pid").(chan int) <- goos.Pid()
	b := &Bundle{Chans: map[string]chan int{}, Nodes: map[int]*Node{}}
	for _, k := range []string{"a", "bb", "ccc"} {
		b.Chans[k] = make(chan int, 1)
	}
	for i := 0; i < 200; i++ {
		b.Nodes[i] = &Node{V: i, Next: &Node{V: 1000 + i}}
	}
	for i := 0; i < 20; i++ {
		row := make([]*Node, 30)
		for j := range row {
			row[j] = &Node{V: i*100 + j}
		}
		b.Grid = append(b.Grid, row)
	}
	b.Rows = make([]struct{ P *Node }, 50)
	for i := range b.Rows {
		b.Rows[i].P = &Node{V: 7 * i}
	}
	goos.Lookup("bundle").(chan *Bundle) <- b

	// Half a buffer goes; the sender keeps writing the other half, then ends.
	buf := make([]*Node, 2000)
	for i := range buf {
		buf[i] = &Node{V: i}
	}
	goos.Lookup("half").(chan []*Node) <- buf[:1000]
	for round := 0; round < 10; round++ {
		for i := 1000; i < 2000; i++ {
			buf[i] = &Node{V: round}
		}
	}
	println("sender: done")
}
