// Intentionally empty: CBullet exists so SwiftPM passes pkg-config's bullet-float64 include path and
// libraries to the BulletBridge C++ target (engineering.md §2.5). Swift never includes Bullet headers.
