/** types.ts: the API types this controller uses, re-exported with the status shape it writes. */
export type { Deployment, ReplicaSet, Pod } from '../../api/types.ts';
import type { Deployment } from '../../api/types.ts';

export type DeploymentStatusShape = Deployment['status'];
