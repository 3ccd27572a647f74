package dev.segmenta.core.check;

/** An error stops a rule from being saved or evaluated; a warning is shown next to it. */
public enum Severity {
    ERROR, WARNING
}
