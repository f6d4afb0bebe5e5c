/**
 * The Metadata API over HTTP, in Salesforce's two wire formats:
 * - REST: `POST /services/data/vXX.X/metadata/deployRequest` (multipart: a JSON part `entity_content`
 *   `{"deployOptions":{…}}` and the zip as part `file`) → 201 with the request; `GET
 *   …/metadata/deployRequest/<id>[?includeDetails=true]` → the request with its `DeployResult`.
 *   Mounted under the versioned REST root, after the dev org's auth, limits and faults.
 * - SOAP: `POST /services/Soap/m/<version>` with `listMetadata` (up to three `ListMetadataQuery`s) →
 *   `FileProperties` of every component of those types; faults in SOAP's shape
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

/** The Metadata SOAP endpoint (`/services/Soap/m/<version>`), `listMetadata` only. */
export function metadataSoapRouter(deps: MetadataHttpDeps): Router {
  const router = express.Router();
  router.post(
    /^\/services\/Soap\/m\/(\d{2,3}\.0)\/?$/,
    express.text({ type: () => true, limit: '1mb' }),
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
      if (call !== 'listMetadata') {
        soapFault(
          res,
          'soapenv:Client',
          `No operation available for request {http://soap.sforce.com/2006/04/metadata}${call ?? ''}`,
        );
        return;
      }
      const queries = children(children(body, 'listMetadata')[0], 'queries');
      if (queries.length > 3) {
        soapFault(res, 'sf:INVALID_QUERY', 'INVALID_QUERY: listMetadata takes at most 3 queries');
        return;
      }
      const results = queries.flatMap((q) => texts(q, 'type').flatMap((type) => deps.registry.list(type)));
      res
        .status(200)
        .type('text/xml')
        .send(
          `${ENVELOPE_OPEN}<listMetadataResponse>${results.map(filePropertiesXml).join('')}</listMetadataResponse>${ENVELOPE_CLOSE}`,
        );
    },
  );
  return router;
}
