/**
 * Deploy requests as the REST Metadata API keeps them: `POST …/metadata/deployRequest` answers at once
 * with an id (`0Af…`) and status `Pending`; the deploy then runs (`InProgress`, with components counted as
 * they are checked) and ends `Succeeded`, `SucceededPartial` or `Failed`. `GET …/deployRequest/<id>` shows
 * the `DeployResult`, with `details` (component successes and failures) when `includeDetails=true`.
 * Requests live as long as the dev org process (Salesforce keeps them 30 days).
 */
import { recordId } from '../ids.ts';
import { deployZip, type DeployContext, type DeployMessage, type DeployOptions } from './deploy.ts';

type Status = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed';

interface DeployRequestState {
  id: string;
  options: DeployOptions;
  status: Status;
  createdDate: string;
  startDate: string | null;
  completedDate: string | null;
  lastModifiedDate: string;
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  errorMessage: string | null;
  errorStatusCode: string | null;
  successes: DeployMessage[];
  failures: DeployMessage[];
  done: Promise<void>;
}

export interface DeployRequestBody {
  id: string;
  url: string;
  deployOptions: DeployOptions;
  deployResult: Record<string, unknown>;
}

export interface DeployRequestsOptions {
  context: Omit<DeployContext, 'onProgress'>;
  createdBy: () => { id: string; name: string };
  log?: (line: string) => void;
}

export class DeployRequests {
  readonly #requests = new Map<string, DeployRequestState>();
  readonly #options: DeployRequestsOptions;
  #sequence = 0;

  constructor(options: DeployRequestsOptions) {
    this.#options = options;
  }

  /** Starts a deploy in the background; the answer is the request as it stands (Pending). */
  start(zip: Uint8Array, options: DeployOptions, apiPath: string, instanceUrl: string): DeployRequestBody {
    const now = (): string => this.#options.context.now().toISOString();
    const id = recordId('0Af', ++this.#sequence);
    const state: DeployRequestState = {
      id,
      options,
      status: 'Pending',
      createdDate: now(),
      startDate: null,
      completedDate: null,
      lastModifiedDate: now(),
      numberComponentsTotal: 0,
      numberComponentsDeployed: 0,
      numberComponentErrors: 0,
      errorMessage: null,
      errorStatusCode: null,
      successes: [],
      failures: [],
      done: Promise.resolve(),
    };
    this.#requests.set(id, state);
    state.done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      state.status = 'InProgress';
      state.startDate = now();
      try {
        const outcome = await deployZip(zip, options, {
          ...this.#options.context,
          onProgress: (checked, total) => {
            state.numberComponentsTotal = total;
            state.numberComponentsDeployed = checked;
            state.lastModifiedDate = now();
          },
        });
        state.successes = outcome.componentSuccesses;
        state.failures = outcome.componentFailures;
        state.numberComponentsTotal = outcome.numberComponentsTotal;
        state.numberComponentErrors = outcome.componentFailures.length;
        state.numberComponentsDeployed = outcome.componentSuccesses.filter(
          (m) => m.fullName !== 'package.xml' || m.componentType !== '',
        ).length;
        state.errorMessage = outcome.errorMessage;
        state.errorStatusCode = outcome.errorStatusCode;
        state.status = outcome.status;
      } catch (error) {
        this.#options.log?.(
          `dev org: deploy ${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        state.status = 'Failed';
        state.errorStatusCode = 'UNKNOWN_EXCEPTION';
        state.errorMessage =
          'An unexpected error occurred. Please include this ErrorId if you contact support: 0-dev-org';
      }
      state.completedDate = now();
      state.lastModifiedDate = state.completedDate;
    });
    return this.body(id, false, apiPath, instanceUrl)!;
  }

  /** Resolves once every running deploy has finished (for a clean shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#requests.values()].map((r) => r.done));
  }

  body(
    id: string,
    includeDetails: boolean,
    apiPath: string,
    instanceUrl: string,
  ): DeployRequestBody | undefined {
    const state =
      this.#requests.get(id) ?? [...this.#requests.values()].find((r) => r.id.slice(0, 15) === id);
    if (!state) return undefined;
    const user = this.#options.createdBy();
    const done = state.completedDate !== null;
    const url = `${instanceUrl}${apiPath}/metadata/deployRequest/${state.id}`;
    return {
      id: state.id,
      url: includeDetails ? `${url}?includeDetails=true` : url,
      deployOptions: state.options,
      deployResult: {
        id: state.id,
        canceledBy: null,
        canceledByName: null,
        checkOnly: state.options.checkOnly,
        completedDate: state.completedDate,
        createdBy: user.id,
        createdByName: user.name,
        createdDate: state.createdDate,
        details: includeDetails
          ? {
              componentFailures: state.failures,
              componentSuccesses: state.successes,
              retrieveResult: null,
              runTestResult: {
                codeCoverage: [],
                codeCoverageWarnings: [],
                failures: [],
                flowCoverage: [],
                flowCoverageWarnings: [],
                numFailures: 0,
                numTestsRun: 0,
                successes: [],
                totalTime: 0,
              },
            }
          : null,
        done,
        errorMessage: state.errorMessage,
        errorStatusCode: state.errorStatusCode,
        ignoreWarnings: state.options.ignoreWarnings,
        lastModifiedDate: state.lastModifiedDate,
        numberComponentErrors: state.numberComponentErrors,
        numberComponentsDeployed: state.numberComponentsDeployed,
        numberComponentsTotal: state.numberComponentsTotal,
        numberTestErrors: 0,
        numberTestsCompleted: 0,
        numberTestsTotal: 0,
        rollbackOnError: state.options.rollbackOnError,
        runTestsEnabled: false,
        startDate: state.startDate,
        stateDetail: null,
        status: state.status,
        success: state.status === 'Succeeded',
      },
    };
  }
}
