package dev.segmenta.web.api.request;

/**
 * A request body read by {@link JsonRequestReader}: a record whose components Jackson fills with strict types (a
 * number is not a string, {@code 1.5} is not an integer) and Bean Validation then checks. Any failure becomes
 * Iterable's error naming the field ({@link RequestErrors}).
 */
public interface JsonRequest {}
