package dev.nas.data;

/**
 * Sample indices split in two: {@code kept} and {@code heldOut}, each ascending. The arrays are
 * the caller's to keep (records compare arrays by identity, so compare them with
 * {@link java.util.Arrays#equals(int[], int[])}).
 */
public record IndexSplit(int[] kept, int[] heldOut) {}
