/**
 * Data for fit, evaluate and predict: conversion of Java arrays and NdArrays to the dense form they feed
 * ({@link io.github.keras4j.data.ArrayData}), streamed datasets of numbers or strings
 * ({@link io.github.keras4j.data.Dataset}), time-series windows ({@link io.github.keras4j.data.Timeseries}) and
 * Keras's {@code text_dataset_from_directory} ({@link io.github.keras4j.data.TextDatasets}).
 */
package io.github.keras4j.data;
