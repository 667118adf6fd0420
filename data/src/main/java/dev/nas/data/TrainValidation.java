package dev.nas.data;

/** A training set split into the part search trains weights on and the part it scores on. */
public record TrainValidation(ImageDataset train, ImageDataset validation) {}
