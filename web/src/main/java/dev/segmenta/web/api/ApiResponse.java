package dev.segmenta.web.api;

import java.util.Map;

/** Iterable's response envelope: {@code {"msg", "code", "params"}}. */
public record ApiResponse(String msg, String code, Map<String, Object> params) {
    public static ApiResponse success(String msg) {
        return new ApiResponse(msg, "Success", null);
    }

    public static ApiResponse success(String msg, Map<String, Object> params) {
        return new ApiResponse(msg, "Success", params);
    }
}
