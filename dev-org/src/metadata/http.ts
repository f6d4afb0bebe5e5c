/**
 * The Metadata API over HTTP, in Salesforce's two wire formats:
 * - REST: `POST /services/data/vXX.X/metadata/deployRequest` (multipart: a JSON part `entity_content`
 *   `{"deployOptions":{…}}` and the zip as part `file`) → 201 with the request; `GET
 *   …/metadata/deployRequest/<id>[?includeDetails=true]` → the request with its `DeployResult`.
 *   Mounted under the versioned REST root, after the dev org's auth, limits and faults.
 * - SOAP: `POST /services/Soap/m/<version>` with `listMetadata` (up to three `ListMetadataQuery`s) →
 *   `FileProperties` of every component of those types; `deploy` (base64 `ZipFile`, `DeployOptions`) →
 *   an `AsyncResult` (`Queued`), and `checkDeployStatus` → the `DeployResult`, the same deploy requests
 *   as REST's (what the Salesforce CLI uses unless told to deploy over REST); faults in SOAP's shape
 *   (`sf:INVALID_SESSION_ID`, HTTP 500). The session id travels in the `SessionHeader`.
 */
import express, { type Request, type Response, type Router } from 'express';
import { XMLParser } from 'fast-xml-parser';
import type { ApiUsage } from '../api/api-usage.ts';
import { SalesforceError } from '../errors.ts';
import type { ComponentRegistry, FileProperties } from './component-registry.ts';
import { DEFAULT_DEPLOY_OPTIONS, type DeployOptions } from './deploy.ts';
import type { DeployRequests } from './deploy-requests.ts';
import { children, text, texts, type XmlNode } from './validate.ts';

export interface MetadataHttpDeps {
  requests: DeployRequests;
  registry: ComponentRegistry;
  usage: ApiUsage;
  isValidSession: (token: string | undefined) => boolean;
  instanceUrl: () => string;
}

/** The largest zip the Metadata API takes (39 MB), with room for the multipart framing. */
const MAX_DEPLOY_BYTES = 40 * 1024 * 1024;

function restError(res: Response, status: number, errorCode: string, messageText: string): void {
  res.status(status).json([{ message: messageText, errorCode }]);
}

function deployOptionsFrom(value: unknown): DeployOptions | SalesforceError {
  const given =
    value && typeof value === 'object' && 'deployOptions' in value
      ? (value as { deployOptions: unknown }).deployOptions
      : {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    return new SalesforceError(400, 'JSON_PARSER_ERROR', 'deployOptions must be an object');
  }
  const options: DeployOptions = { ...DEFAULT_DEPLOY_OPTIONS };
  for (const [key, raw] of Object.entries(given)) {
    if (!(key in options)) continue;
    const current = options[key as keyof DeployOptions];
    if (typeof current === 'boolean') {
      if (typeof raw !== 'boolean') {
        return new SalesforceError(400, 'JSON_PARSER_ERROR', `deployOptions.${key} must be a boolean`);
      }
      (options as unknown as Record<string, unknown>)[key] = raw;
    } else {
      (options as unknown as Record<string, unknown>)[key] = raw;
    }
  }
  return options;
}

/** Routes under the versioned REST root (`/services/data/vXX.X`). */
export function metadataRestRouter(deps: MetadataHttpDeps): Router {
  const router = express.Router();

  router.post(
    '/metadata/deployRequest',
    express.raw({ type: () => true, limit: MAX_DEPLOY_BYTES }),
    async (req: Request, res: Response) => {
      const contentType = req.get('content-type') ?? '';
      if (!/^multipart\/form-data/i.test(contentType)) {
        restError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'The deploy request must be multipart/form-data');
        return;
      }
      let form: FormData;
      try {
        form = await new Response(req.body as Buffer, {
          headers: { 'content-type': contentType },
        }).formData();
      } catch {
        restError(res, 400, 'INVALID_MULTIPART_REQUEST', 'The multipart request could not be parsed');
        return;
      }
      const entity = form.get('entity_content');
      const file = form.get('file');
      if (!(file instanceof Blob)) {
        restError(res, 400, 'MISSING_ARGUMENT', 'Missing the file part: the zip file to deploy');
        return;
      }
      let json: unknown = {};
      if (entity !== null) {
        try {
          json = JSON.parse(typeof entity === 'string' ? entity : await entity.text());
        } catch {
          restError(res, 400, 'JSON_PARSER_ERROR', 'entity_content is not JSON');
          return;
        }
      }
      const options = deployOptionsFrom(json);
      if (options instanceof SalesforceError) {
        res.status(options.statusCode).json([options.toBody()]);
        return;
      }
      const apiPath = req.baseUrl;
      const zip = new Uint8Array(await file.arrayBuffer());
      res.status(201).json(deps.requests.start(zip, options, apiPath, deps.instanceUrl()));
    },
  );

  router.get('/metadata/deployRequest/:id', (req: Request, res: Response) => {
    const body = deps.requests.body(
      String(req.params['id']),
      req.query['includeDetails'] === 'true',
      req.baseUrl,
      deps.instanceUrl(),
    );
    if (!body) {
      restError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
      return;
    }
    res.json(body);
  });

  return router;
}

const soapParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

function escapeXml(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

function soapFault(res: Response, faultcode: string, faultstring: string): void {
  res
    .status(500)
    .type('text/xml')
    .send(
      `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>${escapeXml(faultcode)}</faultcode><faultstring>${escapeXml(faultstring)}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`,
    );
}

function filePropertiesXml(p: FileProperties): string {
  const fields: [string, string][] = [
    ['createdById', p.createdById],
    ['createdByName', p.createdByName],
    ['createdDate', p.createdDate],
    ['fileName', p.fileName],
    ['fullName', p.fullName],
    ['id', p.id],
    ['lastModifiedById', p.lastModifiedById],
    ['lastModifiedByName', p.lastModifiedByName],
    ['lastModifiedDate', p.lastModifiedDate],
    ['manageableState', p.manageableState],
    ['type', p.type],
  ];
  return `<result>${fields.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</result>`;
}

/** A value as SOAP elements: objects nest, arrays repeat the element, null and undefined are left out. */
function toXml(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function soapAnswer(res: Response, call: string, results: string): void {
  res
    .status(200)
    .type('text/xml')
    .send(`${ENVELOPE_OPEN}<${call}Response>${results}</${call}Response>${ENVELOPE_CLOSE}`);
}

/** SOAP `DeployOptions`: the same options as REST's `deployOptions`, as elements whose text is the value. */
function soapDeployOptions(node: XmlNode | undefined): DeployOptions {
  const options: DeployOptions = { ...DEFAULT_DEPLOY_OPTIONS };
  for (const key of Object.keys(options) as (keyof DeployOptions)[]) {
    const values = texts(node, key);
    if (values.length === 0) continue;
    const current = options[key];
    if (typeof current === 'boolean')
      (options as unknown as Record<string, unknown>)[key] = values[0] === 'true';
    else if (key === 'runTests') options.runTests = values;
    else (options as unknown as Record<string, unknown>)[key] = values[0];
  }
  return options;
}

/** Base64 of the largest zip the Metadata API takes, with room for the envelope. */
const MAX_SOAP_BYTES = Math.ceil((MAX_DEPLOY_BYTES * 4) / 3) + 1024 * 1024;

/**
 * The Metadata SOAP endpoint (`/services/Soap/m/<version>`): `listMetadata`, and `deploy` /
 * `checkDeployStatus`, which the Salesforce CLI's `sf project deploy start|validate|report` use (they
 * share the deploy requests of the REST resource).
 */
export function metadataSoapRouter(deps: MetadataHttpDeps): Router {
  const router = express.Router();
  router.post(
    /^\/services\/Soap\/m\/(\d{2,3}\.0)\/?$/,
    express.text({ type: () => true, limit: MAX_SOAP_BYTES }),
    (req: Request, res: Response) => {
      let envelope: XmlNode;
      try {
        envelope = (soapParser.parse(String(req.body ?? '')) as Record<string, XmlNode>)['Envelope'] ?? '';
      } catch {
        soapFault(res, 'soapenv:Client', 'Unable to parse the SOAP request');
        return;
      }
      const header = children(envelope, 'Header')[0];
      const sessionId = text(children(header, 'SessionHeader')[0], 'sessionId');
      if (!deps.isValidSession(sessionId)) {
        soapFault(
          res,
          'sf:INVALID_SESSION_ID',
          'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
        );
        return;
      }
      try {
        deps.usage.consume();
      } catch (error) {
        if (error instanceof SalesforceError) {
          soapFault(res, `sf:${error.errorCode}`, `${error.errorCode}: ${error.message}`);
          return;
        }
        throw error;
      }
      const body = children(envelope, 'Body')[0];
      const call = body !== undefined && typeof body !== 'string' ? Object.keys(body)[0] : undefined;
      const request = children(body, call ?? '')[0];
      const apiPath = `/services/data/v${String(req.params[0])}`;
      switch (call) {
        case 'listMetadata': {
          const queries = children(request, 'queries');
          if (queries.length > 3) {
            soapFault(res, 'sf:INVALID_QUERY', 'INVALID_QUERY: listMetadata takes at most 3 queries');
            return;
          }
          const results = queries.flatMap((q) =>
            texts(q, 'type').flatMap((type) => deps.registry.list(type)),
          );
          soapAnswer(res, call, results.map(filePropertiesXml).join(''));
          return;
        }
        case 'deploy': {
          const zip = Buffer.from(text(request, 'ZipFile') ?? '', 'base64');
          if (zip.length === 0) {
            soapFault(
              res,
              'sf:INVALID_CROSS_REFERENCE_KEY',
              'INVALID_CROSS_REFERENCE_KEY: no ZipFile to deploy',
            );
            return;
          }
          const options = soapDeployOptions(children(request, 'DeployOptions')[0]);
          const started = deps.requests.start(new Uint8Array(zip), options, apiPath, deps.instanceUrl());
          soapAnswer(res, call, toXml('result', { done: false, id: started.id, state: 'Queued' }));
          return;
        }
        case 'checkDeployStatus': {
          const id = text(request, 'asyncProcessId') ?? '';
          const found = deps.requests.body(
            id,
            text(request, 'includeDetails') === 'true',
            apiPath,
            deps.instanceUrl(),
          );
          if (!found) {
            soapFault(res, 'sf:INVALID_ID_FIELD', `INVALID_ID_FIELD: Invalid deploy id: ${id}`);
            return;
          }
          soapAnswer(res, call, toXml('result', found.deployResult));
          return;
        }
        default:
          soapFault(
            res,
            'soapenv:Client',
            `No operation available for request {http://soap.sforce.com/2006/04/metadata}${call ?? ''}; the dev org serves listMetadata, deploy and checkDeployStatus (see dev-org/README.md)`,
          );
      }
    },
  );
  return router;
}
