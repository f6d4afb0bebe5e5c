/**
 * A small typed fake of the org for unit tests, behind TestContext's `fakeConnectionRequest`: it answers
 * the few REST resources the commands use (API versions, the Metadata REST deploy, SOQL, sObject
 * Collections) from plain data, and records what was written. Anything else fails the test loudly.
 */
import type { AnyJson } from '@salesforce/ts-types';

export interface FakeDeployMessage {
  componentType: string;
  fullName: string;
  fileName: string;
  created: boolean;
  changed: boolean;
  success: boolean;
  problem?: string;
  lineNumber?: number;
}

export interface FakeOrgData {
  users: { Id: string; Username: string }[];
  permissionSets: { Id: string; Name: string }[];
  assignments: { AssigneeId: string; PermissionSetId: string }[];
  /** What the deploy reports; successes and failures as DeployMessages. */
  deploy: { successes: FakeDeployMessage[]; failures: FakeDeployMessage[] };
}

interface Request {
  method?: string;
  url: string;
  body?: string;
}

export class FakeOrg {
  readonly data: FakeOrgData;
  readonly created: { type: string; records: Record<string, unknown>[] }[] = [];
  readonly requests: string[] = [];

  constructor(data: Partial<FakeOrgData> = {}) {
    this.data = {
      users: [],
      permissionSets: [],
      assignments: [],
      deploy: { successes: [], failures: [] },
      ...data,
    };
  }

  /** For `$$.fakeConnectionRequest`. */
  readonly handle = async (raw: AnyJson): Promise<AnyJson> => {
    const request: Request = typeof raw === 'string' ? { url: raw } : (raw as unknown as Request);
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url, 'https://fake.invalid');
    this.requests.push(`${method} ${url.pathname}`);
    if (url.pathname === '/services/data') {
      return [{ version: '62.0', url: '/services/data/v62.0', label: "Winter '25" }];
    }
    if (method === 'POST' && url.pathname.endsWith('/metadata/deployRequest')) {
      return { id: '0AfFAKE000000001AAA', deployResult: { status: 'Pending', done: false } };
    }
    if (method === 'GET' && url.pathname.includes('/metadata/deployRequest/')) {
      const { successes, failures } = this.data.deploy;
      return {
        id: '0AfFAKE000000001AAA',
        deployResult: {
          id: '0AfFAKE000000001AAA',
          status: failures.length > 0 ? 'Failed' : 'Succeeded',
          success: failures.length === 0,
          done: true,
          checkOnly: false,
          numberComponentsTotal: successes.length + failures.length,
          numberComponentsDeployed: successes.length,
          numberComponentErrors: failures.length,
          details: { componentSuccesses: successes, componentFailures: failures },
        },
      } as unknown as AnyJson;
    }
    if (method === 'GET' && url.pathname.endsWith('/query'))
      return this.#query(url.searchParams.get('q') ?? '');
    if (method === 'POST' && url.pathname.endsWith('/composite/sobjects')) {
      const body = JSON.parse(request.body ?? '{}') as {
        records: (Record<string, unknown> & { attributes: { type: string } })[];
      };
      const type = body.records[0]?.attributes.type ?? '';
      this.created.push({ type, records: body.records.map(({ attributes: _a, ...fields }) => fields) });
      return body.records.map((_r, i) => ({ id: `0PaFAKE00000000${i}AAA`, success: true, errors: [] }));
    }
    throw new Error(`the fake org does not answer ${method} ${url.pathname}`);
  };

  #query(soql: string): AnyJson {
    const quoted = [...soql.matchAll(/'([^']*)'/g)].map((m) => m[1]!.toLowerCase());
    const rows = (records: Record<string, unknown>[]): AnyJson =>
      ({ totalSize: records.length, done: true, records }) as unknown as AnyJson;
    if (/FROM PermissionSetAssignment/i.test(soql)) {
      return rows(
        this.data.assignments.filter((a) =>
          quoted.includes(a.PermissionSetId.toLowerCase()),
        ) as unknown as Record<string, unknown>[],
      );
    }
    if (/FROM PermissionSet\b/i.test(soql)) {
      return rows(this.data.permissionSets.filter((p) => quoted.includes(p.Name.toLowerCase())));
    }
    if (/FROM User\b/i.test(soql)) {
      return rows(this.data.users.filter((u) => quoted.includes(u.Username.toLowerCase())));
    }
    throw new Error(`the fake org does not answer the query ${soql}`);
  }
}

/** A successful DeployMessage. */
export function success(componentType: string, fullName: string, created = true): FakeDeployMessage {
  return {
    componentType,
    fullName,
    fileName: `${componentType}/${fullName}`,
    created,
    changed: false,
    success: true,
  };
}
