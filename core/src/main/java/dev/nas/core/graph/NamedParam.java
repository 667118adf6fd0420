package dev.nas.core.graph;

/** A tensor of a graph with its full name and the node that owns it. */
public record NamedParam(String name, ParamSpec spec, Node node) {}
