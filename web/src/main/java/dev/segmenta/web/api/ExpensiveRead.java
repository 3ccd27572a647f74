package dev.segmenta.web.api;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read that scans the users (preview, impact, member export) and holds a database connection while it does:
 * it runs only within {@link PreviewGate}'s bounded share of the pool, so many of them cannot starve ingestion,
 * health checks or the scheduler.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ExpensiveRead {}
