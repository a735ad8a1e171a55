/**
 * TensorFlow SavedModels for serving, knowing nothing of Keras: {@link
 * io.github.keras4j.graph.savedmodel.SavedModelWriter} exports the inference part of a live graph with its
 * variables' current values (tag {@code serve}, predict method names), {@link
 * io.github.keras4j.graph.savedmodel.SavedModelReader} reads and checks a SavedModel folder in Java before the
 * native loader sees it; {@link io.github.keras4j.graph.savedmodel.AtomicDirectory} and {@link
 * io.github.keras4j.graph.savedmodel.AtomicFile} write folders and files through a temporary sibling moved into
 * place.
 */
package io.github.keras4j.graph.savedmodel;
