// One instruction set's kernels, included by kernels.c once per ISA with these macros defined:
//   SUFFIX(name)  the function name for this ISA;  TARGET  the function attribute;
//   V (vector type), W (lanes), and the vector operations below.
// The file undefines those macros at its end, ready for the next ISA.
// Tails (n not a multiple of W) go through LOADN/STOREN, which touch only the first `count` lanes,
// so every element is computed with the same instructions wherever a chunk boundary falls.

TARGET static inline V SUFFIX(vexp)(V x) {
    x = VMIN(VMAX(x, VSET(-87.33654f)), VSET(88.37626f));
    V n = VROUND(VMUL(x, VSET(1.44269504f)));
    V r = VFMA(n, VSET(-0.693359375f), x);
    r = VFMA(n, VSET(2.12194440e-4f), r);
    V p = VSET(1.9875691500e-4f);
    p = VFMA(p, r, VSET(1.3981999507e-3f));
    p = VFMA(p, r, VSET(8.3334519073e-3f));
    p = VFMA(p, r, VSET(4.1665795894e-2f));
    p = VFMA(p, r, VSET(1.6666665459e-1f));
    p = VFMA(p, r, VSET(5.0000001201e-1f));
    V y = VADD(VFMA(VMUL(p, r), r, r), VSET(1.0f));
    return VSCALE2(y, n);
}

// 2u = 2√(2/π)(x + 0.044715x³)
TARGET static inline V SUFFIX(gelu_arg)(V x) {
    V x2 = VMUL(x, x);
    return VMUL(VMUL(x, VFMA(x2, VSET(0.044715f), VSET(1.0f))), VSET(2.0f * 0.79788456f));
}

TARGET static inline V SUFFIX(gelu_fwd)(V x) {
    V e = SUFFIX(vexp)(VSUB(VSET(0.0f), SUFFIX(gelu_arg)(x)));
    return VDIV(x, VADD(VSET(1.0f), e));
}

TARGET static inline V SUFFIX(gelu_bwd)(V x, V g) {
    V s = VDIV(VSET(1.0f), VADD(VSET(1.0f), SUFFIX(vexp)(VSUB(VSET(0.0f), SUFFIX(gelu_arg)(x)))));
    V x2 = VMUL(x, x);
    V du = VMUL(VFMA(x2, VSET(3.0f * 0.044715f), VSET(1.0f)), VSET(2.0f * 0.79788456f));
    V d = VFMA(VMUL(VMUL(x, s), VSUB(VSET(1.0f), s)), du, s);
    return VMUL(g, d);
}

TARGET static void SUFFIX(gelu_tanh_forward)(const float *x, float *y, long n) {
    long i = 0;
    for (; i + W <= n; i += W) VSTORE(y + i, SUFFIX(gelu_fwd)(VLOAD(x + i)));
    if (i < n) STOREN(y + i, SUFFIX(gelu_fwd)(LOADN(x + i, n - i)), n - i);
}

TARGET static void SUFFIX(gelu_tanh_backward)(const float *x, const float *g, float *dx, long n) {
    long i = 0;
    for (; i + W <= n; i += W) VSTORE(dx + i, SUFFIX(gelu_bwd)(VLOAD(x + i), VLOAD(g + i)));
    if (i < n) STOREN(dx + i, SUFFIX(gelu_bwd)(LOADN(x + i, n - i), LOADN(g + i, n - i)), n - i);
}

TARGET static float SUFFIX(exp_shift_sum)(float *row, long n, float shift) {
    V total = VSET(0.0f), s = VSET(shift);
    long i = 0;
    for (; i + W <= n; i += W) {
        V e = SUFFIX(vexp)(VSUB(VLOAD(row + i), s));
        VSTORE(row + i, e);
        total = VADD(total, e);
    }
    float sum = VSUM(total);
    if (i < n) {
        V e = SUFFIX(vexp)(VSUB(LOADN(row + i, n - i), s));
        STOREN(row + i, e, n - i);
        float tail[W];
        VSTORE(tail, e);
        for (long j = 0; j < n - i; j++) sum += tail[j];
    }
    return sum;
}

TARGET static float SUFFIX(row_max)(const float *row, long n) {
    V best = VSET(-__builtin_inff());
    long i = 0;
    for (; i + W <= n; i += W) best = VMAX(best, VLOAD(row + i));
    float m = VHMAX(best);
    for (; i < n; i++) m = row[i] > m ? row[i] : m;
    return m;
}

TARGET static void SUFFIX(scale)(float *row, long n, float s) {
    V v = VSET(s);
    long i = 0;
    for (; i + W <= n; i += W) VSTORE(row + i, VMUL(VLOAD(row + i), v));
    for (; i < n; i++) row[i] *= s;
}

TARGET static float SUFFIX(norm_row_forward)(const float *x, float *y, long n, int centered, float eps) {
    float mean = 0;
    long i;
    if (centered) {
        V acc = VSET(0.0f);
        for (i = 0; i + W <= n; i += W) acc = VADD(acc, VLOAD(x + i));
        mean = VSUM(acc);
        for (; i < n; i++) mean += x[i];
        mean /= (float)n;
    }
    V m = VSET(mean), acc = VSET(0.0f);
    for (i = 0; i + W <= n; i += W) { V d = VSUB(VLOAD(x + i), m); acc = VFMA(d, d, acc); }
    float variance = VSUM(acc);
    for (; i < n; i++) { float d = x[i] - mean; variance += d * d; }
    float inv = 1.0f / __builtin_sqrtf(variance / (float)n + eps);
    V vi = VSET(inv);
    for (i = 0; i + W <= n; i += W) VSTORE(y + i, VMUL(VSUB(VLOAD(x + i), m), vi));
    for (; i < n; i++) y[i] = (x[i] - mean) * inv;
    return inv;
}

TARGET static void SUFFIX(norm_row_backward)(const float *g, const float *xhat, float *dx, long n, int centered, float inv) {
    V sg = VSET(0.0f), sgx = VSET(0.0f);
    long i;
    for (i = 0; i + W <= n; i += W) {
        V gv = VLOAD(g + i);
        sg = VADD(sg, gv);
        sgx = VFMA(gv, VLOAD(xhat + i), sgx);
    }
    float meanG = VSUM(sg), meanGX = VSUM(sgx);
    for (; i < n; i++) { meanG += g[i]; meanGX += g[i] * xhat[i]; }
    meanG = centered ? meanG / (float)n : 0;
    meanGX /= (float)n;
    V mg = VSET(meanG), mgx = VSET(meanGX), vi = VSET(inv);
    for (i = 0; i + W <= n; i += W) {
        V d = VSUB(VSUB(VLOAD(g + i), mg), VMUL(VLOAD(xhat + i), mgx));
        VSTORE(dx + i, VMUL(d, vi));
    }
    for (; i < n; i++) dx[i] = (g[i] - meanG - xhat[i] * meanGX) * inv;
}

#undef SUFFIX
#undef TARGET
#undef V
#undef W
#undef VLOAD
#undef VSTORE
#undef VSET
#undef VADD
#undef VSUB
#undef VMUL
#undef VDIV
#undef VMAX
#undef VMIN
#undef VFMA
#undef VROUND
#undef VSCALE2
#undef LOADN
#undef STOREN
#undef VSUM
#undef VHMAX
