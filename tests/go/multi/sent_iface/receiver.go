package main

import "goos"

type Shape interface{ Name() string }

type Circle struct{ R int }

func (c Circle) Name() string { return "the receiver's Circle.Name" }

type Message struct{ S Shape }

func main() {
	inbox := make(chan *Message)
	goos.Publish("inbox", inbox)
	m := <-inbox
	println("receiver:", m.S.Name())
	inbox <- m
}
