// extern "C" surface over Bullet 3.24 (double precision) for the Swift simulator adapter.
// Opaque world handle, plain structs of doubles, explicit create/destroy/step/state functions.
// Swift never sees btScalar, templates, inheritance or SIMD alignment.
#ifndef PROPHRL_BULLET_BRIDGE_H
#define PROPHRL_BULLET_BRIDGE_H

#ifdef __cplusplus
extern "C" {
#endif

/// An owned Bullet multibody dynamics world.
typedef struct BBWorld BBWorld;

/// World settings (simulator.md §2).
typedef struct {
    double timeStep;            // seconds per stepSimulation call, fixed
    int solverIterations;
    double gravityZ;            // m/s^2, e.g. -9.81
    double erp2;
    double frictionERP;
    double linearSlop;
    double warmstartingFactor;
    double leastSquaresResidualThreshold;
} BBWorldConfig;

/// Collision shape kinds.
enum { BB_SHAPE_BOX = 0, BB_SHAPE_CYLINDER_Z = 1 };

/// One primitive collision shape placed in its owner's frame.
typedef struct {
    int kind;                   // BB_SHAPE_BOX or BB_SHAPE_CYLINDER_Z
    double halfExtents[3];      // box: half sizes; cylinder: (radius, radius, half height)
    double position[3];         // in the owner's (body or link centre-of-mass) frame
    double quaternion[4];       // x, y, z, w
    double margin;              // collision margin; <= 0 keeps Bullet's default
} BBShape;

/// Contact material of a body or link.
typedef struct {
    double lateralFriction;
    double spinningFriction;
    double rollingFriction;
    double restitution;
} BBMaterial;

/// A free or static rigid body made of one or more shapes (mass 0 = static).
typedef struct {
    double mass;
    double position[3];
    double quaternion[4];
    int shapeStart, shapeCount;  // range in the shapes array passed alongside
    BBMaterial material;
    int group, mask;             // collision filter
} BBBodyDesc;

/// Joint kinds of a multibody link.
enum { BB_JOINT_REVOLUTE = 0, BB_JOINT_PRISMATIC = 1, BB_JOINT_FIXED = 2 };

/// One multibody link (all link frames parallel to the base frame at q = 0).
typedef struct {
    int jointType;
    int parent;                  // -1 = base
    double mass;
    double inertia[3];           // principal moments about the link's centre of mass
    double axis[3];              // joint axis in this link's frame
    double parentComToPivot[3];  // in the parent's frame
    double pivotToCom[3];        // in this link's frame
    double lowerLimit, upperLimit; // lower > upper: no limit constraint
    double motorMaxForce;        // <= 0: no motor
    double motorKp, motorKd;     // dimensionless position and velocity gains of the motor
    int shapeStart, shapeCount;
    BBMaterial material;
    int group, mask;
} BBLinkDesc;

/// A multibody's base.
typedef struct {
    int fixedBase;
    double mass;
    double inertia[3];
    double position[3];
    double quaternion[4];
    int shapeStart, shapeCount;
    BBMaterial material;
    int group, mask;
} BBBaseDesc;

/// State of a rigid body.
typedef struct {
    double position[3];
    double quaternion[4];
    double linearVelocity[3];
    double angularVelocity[3];
} BBBodyState;

/// Creates an empty world; NULL if the configuration is invalid.
BBWorld *bb_world_create(const BBWorldConfig *config);
/// Destroys a world and everything in it.
void bb_world_destroy(BBWorld *world);
/// Advances the world by `steps` fixed time steps.
void bb_world_step(BBWorld *world, int steps);
/// Number of collision objects (bodies and link colliders) in the world.
int bb_world_collider_count(const BBWorld *world);

/// Adds a rigid body; returns its body index, or -1 on invalid input.
int bb_add_body(BBWorld *world, const BBBodyDesc *desc, const BBShape *shapes, int shapeCount);
/// The collider id of a body, or -1.
int bb_body_collider(const BBWorld *world, int body);
/// Reads a body's state; returns 0 on success, -1 for a bad index.
int bb_body_state(const BBWorld *world, int body, BBBodyState *out);

/// Adds a multibody; returns its index, or -1 on invalid input.
int bb_add_multibody(BBWorld *world, const BBBaseDesc *base, const BBLinkDesc *links, int linkCount,
                     const BBShape *shapes, int shapeCount);
/// Couples two links of a multibody: q_A + ratio * q_B = 0 (ratio -1 keeps mirrored fingers symmetric).
int bb_add_gear(BBWorld *world, int multibody, int linkA, int linkB, double ratio, double erp, double maxForce);
/// The collider id of a multibody link (-1 = base), or -1 if it has none.
int bb_multibody_collider(const BBWorld *world, int multibody, int link);
/// Sets joint positions (one per link; fixed links ignored), zero velocities, and updates colliders.
int bb_multibody_reset(BBWorld *world, int multibody, const double *positions, int count);
/// Sets motor position and velocity targets (one per link; links without a motor ignored).
int bb_multibody_set_targets(BBWorld *world, int multibody, const double *positions, const double *velocities,
                             int count);
/// Reads joint positions and velocities (one per link).
int bb_multibody_joints(const BBWorld *world, int multibody, double *positions, double *velocities, int count);
/// World pose of a link's centre-of-mass frame (-1 = base): position and quaternion (x, y, z, w).
int bb_multibody_link_pose(const BBWorld *world, int multibody, int link, double *position, double *quaternion);

/// Number of contact points closer than `distance` between two colliders.
int bb_contact_count(const BBWorld *world, int colliderA, int colliderB, double distance);

#ifdef __cplusplus
}
#endif

#endif
