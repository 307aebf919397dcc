import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from './index.ts';

const DNS1035 = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`;
const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {selector: {app: x}, ports: [{port: 80}]}\n`;
const deploy = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec: {replicas: ${replicas}, selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: nginx}]}}}\n`;

describe('errors of kubectl apply|create|replace -f, printed as CheckErr prints what Run returned', () => {
  // One error is unwrapped (checkErr: "unwrap aggregates of 1"): an Invalid prints as `The Kind "name" is invalid`.
  // Several are an aggregate (MultipleErrors): each through StandardErrorMessage, the server's message after
  // AddSourceToErr's `error when creating "-"`, its kind with its group.
  const cases: [line: string, stdin: string, want: string][] = [
    ['kubectl apply -f -', svc('My_Svc'), `The Service "My_Svc" is invalid: metadata.name: Invalid value: "My_Svc": ${DNS1035}\n`],
    [
      'kubectl apply -f -',
      `${svc('My_Svc')}---\n${svc('ok')}---\n${deploy('bad', -1)}`,
      `service/ok created\nError from server (Invalid): error when creating "STDIN": Service "My_Svc" is invalid: metadata.name: Invalid value: "My_Svc": ${DNS1035}\n` +
        'Error from server (Invalid): error when creating "STDIN": Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    ],
    [
      'kubectl create -f -',
      `${svc('kubernetes')}---\n${deploy('bad', -1)}`,
      'Error from server (AlreadyExists): error when creating "STDIN": services "kubernetes" already exists\n' +
        'Error from server (Invalid): error when creating "STDIN": Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    ],
    [
      'kubectl replace -f -',
      `${deploy('gone', 1)}---\n${svc('kubernetes').replace('spec: {', 'spec: {type: Nodeport, ')}`,
      'Error from server (NotFound): error when replacing "STDIN": deployments.apps "gone" not found\n' +
        'Error from server (Invalid): error when replacing "STDIN": Service "kubernetes" is invalid: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n',
    ],
  ];
  for (const [line, stdin, want] of cases) {
    it(`${line}: ${stdin.split('\n---\n').length} document(s)`, () => expect(runCommand(createCluster({ seed: 1 }), line, { stdin })).toEqual({ exit: 1, out: want }));
  }
});
