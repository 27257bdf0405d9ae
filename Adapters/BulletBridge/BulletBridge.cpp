// Bullet 3.24 bridge: builds a btMultiBodyDynamicsWorld with the settings of simulator.md §2 and exposes
// the plain C API of BulletBridge.h. BT_USE_DOUBLE_PRECISION comes from the target's cxxSettings.
#include "BulletBridge.h"

#include <btBulletDynamicsCommon.h>
#include <BulletCollision/BroadphaseCollision/btDbvtBroadphase.h>
#include <BulletDynamics/Featherstone/btMultiBody.h>
#include <BulletDynamics/Featherstone/btMultiBodyConstraintSolver.h>
#include <BulletDynamics/Featherstone/btMultiBodyDynamicsWorld.h>
#include <BulletDynamics/Featherstone/btMultiBodyGearConstraint.h>
#include <BulletDynamics/Featherstone/btMultiBodyJointLimitConstraint.h>
#include <BulletDynamics/Featherstone/btMultiBodyJointMotor.h>
#include <BulletDynamics/Featherstone/btMultiBodyLinkCollider.h>

#include <cmath>
#include <memory>
#include <vector>

static_assert(sizeof(btScalar) == sizeof(double), "BulletBridge must be built with BT_USE_DOUBLE_PRECISION");

namespace {

struct MultiBodyRecord {
    btMultiBody *body = nullptr;
    std::vector<int> linkColliders;      // collider id per link, -1 if none
    int baseCollider = -1;
    std::vector<btMultiBodyJointMotor *> motors;  // per link, nullptr if none
    std::vector<double> kp, kd;                   // motor gains per link
};

btVector3 vec(const double *v) { return btVector3(v[0], v[1], v[2]); }
btQuaternion quat(const double *q) { return btQuaternion(q[0], q[1], q[2], q[3]); }

bool finite(const double *v, int n) {
    for (int i = 0; i < n; ++i) if (!std::isfinite(v[i])) return false;
    return true;
}

}  // namespace

struct BBWorld {
    btDefaultCollisionConfiguration configuration;
    btCollisionDispatcher dispatcher{&configuration};
    btDbvtBroadphase broadphase;
    btMultiBodyConstraintSolver solver;
    std::unique_ptr<btMultiBodyDynamicsWorld> world;
    double timeStep = 1.0 / 240.0;

    std::vector<std::unique_ptr<btCollisionShape>> shapes;
    std::vector<std::unique_ptr<btDefaultMotionState>> motionStates;
    std::vector<btRigidBody *> bodies;
    std::vector<btCollisionObject *> colliders;   // every collision object, by collider id
    std::vector<MultiBodyRecord> multibodies;
    std::vector<btMultiBodyConstraint *> constraints;

    ~BBWorld() {
        // Remove in reverse order of insertion, then free.
        for (auto it = constraints.rbegin(); it != constraints.rend(); ++it) {
            world->removeMultiBodyConstraint(*it);
            delete *it;
        }
        for (auto it = multibodies.rbegin(); it != multibodies.rend(); ++it) {
            for (int i = it->body->getNumLinks() - 1; i >= 0; --i) {
                if (auto *c = it->body->getLink(i).m_collider) { world->removeCollisionObject(c); delete c; }
            }
            if (auto *c = it->body->getBaseCollider()) { world->removeCollisionObject(c); delete c; }
            world->removeMultiBody(it->body);
            delete it->body;
        }
        for (auto it = bodies.rbegin(); it != bodies.rend(); ++it) {
            world->removeRigidBody(*it);
            delete *it;
        }
        world.reset();
    }

    /// A shape (single primitive or compound) for a range of descriptors; nullptr on invalid input.
    btCollisionShape *makeShape(const BBShape *descs, int start, int count, int total) {
        if (count <= 0 || start < 0 || start + count > total) return nullptr;
        std::vector<btCollisionShape *> parts;
        std::vector<btTransform> poses;
        for (int i = start; i < start + count; ++i) {
            const BBShape &d = descs[i];
            if (!finite(d.halfExtents, 3) || !finite(d.position, 3) || !finite(d.quaternion, 4)) return nullptr;
            if (d.halfExtents[0] <= 0 || d.halfExtents[1] <= 0 || d.halfExtents[2] <= 0) return nullptr;
            btCollisionShape *shape = nullptr;
            switch (d.kind) {
                case BB_SHAPE_BOX: shape = new btBoxShape(vec(d.halfExtents)); break;
                case BB_SHAPE_CYLINDER_Z: shape = new btCylinderShapeZ(vec(d.halfExtents)); break;
                default: return nullptr;
            }
            if (d.margin > 0) shape->setMargin(d.margin);
            shapes.emplace_back(shape);
            parts.push_back(shape);
            poses.emplace_back(quat(d.quaternion), vec(d.position));
        }
        bool identity = count == 1 && poses[0].getOrigin().length2() == 0 &&
                        poses[0].getRotation() == btQuaternion(0, 0, 0, 1);
        if (identity) return parts[0];
        auto *compound = new btCompoundShape();
        for (size_t i = 0; i < parts.size(); ++i) compound->addChildShape(poses[i], parts[i]);
        shapes.emplace_back(compound);
        return compound;
    }
};

extern "C" {

BBWorld *bb_world_create(const BBWorldConfig *config) {
    if (!config || !(config->timeStep > 0) || config->solverIterations <= 0 || !std::isfinite(config->gravityZ)) {
        return nullptr;
    }
    gDbvtMargin = 0;
    auto *w = new BBWorld();
    w->timeStep = config->timeStep;
    w->world = std::make_unique<btMultiBodyDynamicsWorld>(&w->dispatcher, &w->broadphase, &w->solver,
                                                          &w->configuration);
    w->world->setGravity(btVector3(0, 0, config->gravityZ));
    btContactSolverInfo &info = w->world->getSolverInfo();
    info.m_numIterations = config->solverIterations;
    info.m_erp2 = config->erp2;
    info.m_frictionERP = config->frictionERP;
    info.m_linearSlop = config->linearSlop;
    info.m_warmstartingFactor = config->warmstartingFactor;
    info.m_leastSquaresResidualThreshold = config->leastSquaresResidualThreshold;
    info.m_solverMode &= ~SOLVER_RANDMIZE_ORDER;
    w->world->getDispatchInfo().m_deterministicOverlappingPairs = true;
    return w;
}

void bb_world_destroy(BBWorld *world) { delete world; }

void bb_world_step(BBWorld *world, int steps) {
    if (!world) return;
    for (int i = 0; i < steps; ++i) world->world->stepSimulation(world->timeStep, 0);
}

int bb_world_collider_count(const BBWorld *world) { return world ? (int)world->colliders.size() : 0; }

int bb_add_body(BBWorld *world, const BBBodyDesc *d, const BBShape *shapes, int shapeCount) {
    if (!world || !d || !(d->mass >= 0) || !finite(d->position, 3) || !finite(d->quaternion, 4)) return -1;
    btCollisionShape *shape = world->makeShape(shapes, d->shapeStart, d->shapeCount, shapeCount);
    if (!shape) return -1;
    btVector3 inertia(0, 0, 0);
    if (d->mass > 0) shape->calculateLocalInertia(d->mass, inertia);
    auto *motion = new btDefaultMotionState(btTransform(quat(d->quaternion), vec(d->position)));
    world->motionStates.emplace_back(motion);
    btRigidBody::btRigidBodyConstructionInfo info(d->mass, motion, shape, inertia);
    info.m_friction = d->material.lateralFriction;
    info.m_rollingFriction = d->material.rollingFriction;
    info.m_spinningFriction = d->material.spinningFriction;
    info.m_restitution = d->material.restitution;
    auto *body = new btRigidBody(info);
    body->setActivationState(DISABLE_DEACTIVATION);
    world->world->addRigidBody(body, d->group, d->mask);
    world->bodies.push_back(body);
    body->setUserIndex((int)world->colliders.size());
    world->colliders.push_back(body);
    return (int)world->bodies.size() - 1;
}

int bb_body_collider(const BBWorld *world, int body) {
    if (!world || body < 0 || body >= (int)world->bodies.size()) return -1;
    return world->bodies[body]->getUserIndex();
}

int bb_body_state(const BBWorld *world, int body, BBBodyState *out) {
    if (!world || !out || body < 0 || body >= (int)world->bodies.size()) return -1;
    const btRigidBody *b = world->bodies[body];
    const btTransform &t = b->getWorldTransform();
    btQuaternion q = t.getRotation();
    for (int i = 0; i < 3; ++i) {
        out->position[i] = t.getOrigin()[i];
        out->linearVelocity[i] = b->getLinearVelocity()[i];
        out->angularVelocity[i] = b->getAngularVelocity()[i];
    }
    out->quaternion[0] = q.x(); out->quaternion[1] = q.y(); out->quaternion[2] = q.z(); out->quaternion[3] = q.w();
    return 0;
}

int bb_add_multibody(BBWorld *world, const BBBaseDesc *base, const BBLinkDesc *links, int linkCount,
                     const BBShape *shapes, int shapeCount) {
    if (!world || !base || linkCount < 0 || (linkCount > 0 && !links)) return -1;
    for (int i = 0; i < linkCount; ++i) {
        const BBLinkDesc &l = links[i];
        if (l.parent < -1 || l.parent >= i || !(l.mass > 0) || !finite(l.axis, 3) || !finite(l.parentComToPivot, 3) ||
            !finite(l.pivotToCom, 3)) return -1;
    }
    auto *mb = new btMultiBody(linkCount, base->mass, vec(base->inertia), base->fixedBase != 0, false);
    mb->setBaseWorldTransform(btTransform(quat(base->quaternion), vec(base->position)));
    btQuaternion identity(0, 0, 0, 1);
    for (int i = 0; i < linkCount; ++i) {
        const BBLinkDesc &l = links[i];
        switch (l.jointType) {
            case BB_JOINT_REVOLUTE:
                mb->setupRevolute(i, l.mass, vec(l.inertia), l.parent, identity, vec(l.axis).normalized(),
                                  vec(l.parentComToPivot), vec(l.pivotToCom), true);
                break;
            case BB_JOINT_PRISMATIC:
                mb->setupPrismatic(i, l.mass, vec(l.inertia), l.parent, identity, vec(l.axis).normalized(),
                                   vec(l.parentComToPivot), vec(l.pivotToCom), true);
                break;
            default:
                mb->setupFixed(i, l.mass, vec(l.inertia), l.parent, identity, vec(l.parentComToPivot),
                               vec(l.pivotToCom));
        }
    }
    mb->setHasSelfCollision(false);
    mb->setLinearDamping(0);
    mb->setAngularDamping(0);
    mb->setCanSleep(false);
    mb->finalizeMultiDof();
    world->world->addMultiBody(mb);

    MultiBodyRecord record;
    record.body = mb;
    record.linkColliders.assign(linkCount, -1);
    record.motors.assign(linkCount, nullptr);
    record.kp.assign(linkCount, 0);
    record.kd.assign(linkCount, 0);

    btAlignedObjectArray<btQuaternion> worldToLocal;
    btAlignedObjectArray<btVector3> localOrigin;
    mb->forwardKinematics(worldToLocal, localOrigin);

    auto addCollider = [&](int link, int start, int count, const BBMaterial &m, int group, int mask) -> int {
        if (count <= 0) return -1;
        btCollisionShape *shape = world->makeShape(shapes, start, count, shapeCount);
        if (!shape) return -2;
        auto *collider = new btMultiBodyLinkCollider(mb, link);
        collider->setCollisionShape(shape);
        collider->setFriction(m.lateralFriction);
        collider->setRollingFriction(m.rollingFriction);
        collider->setSpinningFriction(m.spinningFriction);
        collider->setRestitution(m.restitution);
        btTransform t;
        if (link < 0) {
            t = mb->getBaseWorldTransform();
            mb->setBaseCollider(collider);
        } else {
            t.setIdentity();
            t.setOrigin(mb->localPosToWorld(link, btVector3(0, 0, 0)));
            t.setBasis(mb->localFrameToWorld(link, btMatrix3x3::getIdentity()));
            mb->getLink(link).m_collider = collider;
        }
        collider->setWorldTransform(t);
        world->world->addCollisionObject(collider, group, mask);
        int id = (int)world->colliders.size();
        collider->setUserIndex(id);
        world->colliders.push_back(collider);
        return id;
    };

    record.baseCollider = addCollider(-1, base->shapeStart, base->shapeCount, base->material, base->group, base->mask);
    if (record.baseCollider == -2) return -1;
    for (int i = 0; i < linkCount; ++i) {
        const BBLinkDesc &l = links[i];
        int id = addCollider(i, l.shapeStart, l.shapeCount, l.material, l.group, l.mask);
        if (id == -2) return -1;
        record.linkColliders[i] = id;
        if (l.jointType != BB_JOINT_FIXED && l.lowerLimit <= l.upperLimit) {
            auto *limit = new btMultiBodyJointLimitConstraint(mb, i, l.lowerLimit, l.upperLimit);
            world->world->addMultiBodyConstraint(limit);
            world->constraints.push_back(limit);
        }
        if (l.jointType != BB_JOINT_FIXED && l.motorMaxForce > 0) {
            auto *motor = new btMultiBodyJointMotor(mb, i, 0, 0, l.motorMaxForce * world->timeStep);
            motor->setPositionTarget(0, l.motorKp);
            motor->setVelocityTarget(0, l.motorKd);
            world->world->addMultiBodyConstraint(motor);
            world->constraints.push_back(motor);
            record.motors[i] = motor;
            record.kp[i] = l.motorKp;
            record.kd[i] = l.motorKd;
        }
    }
    world->multibodies.push_back(record);
    mb->updateCollisionObjectWorldTransforms(worldToLocal, localOrigin);
    return (int)world->multibodies.size() - 1;
}

int bb_add_gear(BBWorld *world, int multibody, int linkA, int linkB, double ratio, double erp, double maxForce) {
    if (!world || multibody < 0 || multibody >= (int)world->multibodies.size()) return -1;
    btMultiBody *mb = world->multibodies[multibody].body;
    if (linkA < 0 || linkB < 0 || linkA >= mb->getNumLinks() || linkB >= mb->getNumLinks() || !std::isfinite(ratio) ||
        !(erp > 0) || !(maxForce > 0)) return -1;
    auto *gear = new btMultiBodyGearConstraint(mb, linkA, mb, linkB, btVector3(0, 0, 0), btVector3(0, 0, 0),
                                               btMatrix3x3::getIdentity(), btMatrix3x3::getIdentity());
    gear->setGearRatio(ratio);
    gear->setErp(erp);
    gear->setMaxAppliedImpulse(maxForce * world->timeStep);
    world->world->addMultiBodyConstraint(gear);
    world->constraints.push_back(gear);
    return 0;
}

int bb_multibody_collider(const BBWorld *world, int multibody, int link) {
    if (!world || multibody < 0 || multibody >= (int)world->multibodies.size()) return -1;
    const MultiBodyRecord &r = world->multibodies[multibody];
    if (link == -1) return r.baseCollider;
    if (link < 0 || link >= (int)r.linkColliders.size()) return -1;
    return r.linkColliders[link];
}

int bb_multibody_reset(BBWorld *world, int multibody, const double *positions, int count) {
    if (!world || !positions || multibody < 0 || multibody >= (int)world->multibodies.size()) return -1;
    btMultiBody *mb = world->multibodies[multibody].body;
    if (count != mb->getNumLinks() || !finite(positions, count)) return -1;
    for (int i = 0; i < count; ++i) {
        if (mb->getLink(i).m_jointType == btMultibodyLink::eFixed) continue;
        mb->setJointPos(i, positions[i]);
        mb->setJointVel(i, 0);
    }
    mb->setBaseVel(btVector3(0, 0, 0));
    mb->setBaseOmega(btVector3(0, 0, 0));
    btAlignedObjectArray<btQuaternion> worldToLocal;
    btAlignedObjectArray<btVector3> localOrigin;
    mb->forwardKinematics(worldToLocal, localOrigin);
    mb->updateCollisionObjectWorldTransforms(worldToLocal, localOrigin);
    return 0;
}

int bb_multibody_set_targets(BBWorld *world, int multibody, const double *positions, const double *velocities,
                             int count) {
    if (!world || !positions || !velocities || multibody < 0 || multibody >= (int)world->multibodies.size()) return -1;
    MultiBodyRecord &r = world->multibodies[multibody];
    if (count != (int)r.motors.size() || !finite(positions, count) || !finite(velocities, count)) return -1;
    for (int i = 0; i < count; ++i) {
        if (auto *m = r.motors[i]) {
            m->setPositionTarget(positions[i], r.kp[i]);
            m->setVelocityTarget(velocities[i], r.kd[i]);
        }
    }
    return 0;
}

int bb_multibody_joints(const BBWorld *world, int multibody, double *positions, double *velocities, int count) {
    if (!world || multibody < 0 || multibody >= (int)world->multibodies.size()) return -1;
    const btMultiBody *mb = world->multibodies[multibody].body;
    if (count != mb->getNumLinks()) return -1;
    for (int i = 0; i < count; ++i) {
        bool fixed = mb->getLink(i).m_jointType == btMultibodyLink::eFixed;
        if (positions) positions[i] = fixed ? 0 : mb->getJointPos(i);
        if (velocities) velocities[i] = fixed ? 0 : mb->getJointVel(i);
    }
    return 0;
}

int bb_multibody_link_pose(const BBWorld *world, int multibody, int link, double *position, double *quaternion) {
    if (!world || !position || !quaternion || multibody < 0 || multibody >= (int)world->multibodies.size()) return -1;
    const btMultiBody *mb = world->multibodies[multibody].body;
    if (link < -1 || link >= mb->getNumLinks()) return -1;
    btVector3 p;
    btQuaternion q;
    if (link == -1) {
        p = mb->getBasePos();
        q = mb->getWorldToBaseRot().inverse();
    } else {
        p = mb->localPosToWorld(link, btVector3(0, 0, 0));
        btMatrix3x3 basis = mb->localFrameToWorld(link, btMatrix3x3::getIdentity());
        basis.getRotation(q);
    }
    for (int i = 0; i < 3; ++i) position[i] = p[i];
    quaternion[0] = q.x(); quaternion[1] = q.y(); quaternion[2] = q.z(); quaternion[3] = q.w();
    return 0;
}

int bb_contact_count(const BBWorld *world, int colliderA, int colliderB, double distance) {
    if (!world || colliderA < 0 || colliderB < 0 || colliderA >= (int)world->colliders.size() ||
        colliderB >= (int)world->colliders.size()) return 0;
    const btCollisionObject *a = world->colliders[colliderA];
    const btCollisionObject *b = world->colliders[colliderB];
    int count = 0;
    const btDispatcher *dispatcher = world->world->getDispatcher();
    int manifolds = dispatcher->getNumManifolds();
    for (int i = 0; i < manifolds; ++i) {
        const btPersistentManifold *m = const_cast<btDispatcher *>(dispatcher)->getManifoldByIndexInternal(i);
        bool match = (m->getBody0() == a && m->getBody1() == b) || (m->getBody0() == b && m->getBody1() == a);
        if (!match) continue;
        for (int j = 0; j < m->getNumContacts(); ++j) {
            if (m->getContactPoint(j).getDistance() <= distance) ++count;
        }
    }
    return count;
}

}  // extern "C"
