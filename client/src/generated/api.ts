// Generated from the gateway's OpenAPI document (shared/openapi) by scripts/gen-client-types.ts: do not edit.
// Regenerate: npm run -s build && node dist/scripts/gen-client-types.js

export interface paths {
    "/.well-known/oauth-protected-resource/api/v1/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** RFC 9728 metadata of the aggregate endpoint */
        get: operations["get_well_known_oauth_protected_resource_api_v1_mcp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-protected-resource/api/v1/mcps/{id}/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** RFC 9728 metadata of one config's endpoint */
        get: operations["get_well_known_oauth_protected_resource_api_v1_mcps_id_mcp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit records, newest first
         * @description The caller's own records; an org admin sees every record of the org. Never arguments or results.
         */
        get: operations["get_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API reference page (Swagger UI, served from the deployment) */
        get: operations["get_docs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/docs/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A static asset of the reference page */
        get: operations["get_docs_asset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an execution */
        get: operations["get_executions_id"];
        put?: never;
        post?: never;
        /** Cancel an execution */
        delete: operations["delete_executions_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/input": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer an execution's questions
         * @description Answered like execute: the result, the next question, or the failure (the failed execution's own problem).
         */
        post: operations["post_executions_id_input"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Is the gateway healthy? */
        get: operations["get_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open the server-to-client stream of a 2025 session of every config the caller can use, as one server */
        get: operations["get_mcp"];
        put?: never;
        /**
         * Send a JSON-RPC message to every config the caller can use, as one server
         * @description MCP streamable HTTP, both protocol generations. A 2025 `initialize` answers `Mcp-Session-Id`.
         */
        post: operations["post_mcp"];
        /** End a 2025 session of every config the caller can use, as one server */
        delete: operations["delete_mcp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the caller's and their org's configs */
        get: operations["get_mcps"];
        put?: never;
        /**
         * Register an MCP server
         * @description A config for an http, sse or stdio server, or one filled from a registry entry (`from_registry`). 201 with `Location` and `ETag`.
         */
        post: operations["post_mcps"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a config */
        get: operations["get_mcps_id"];
        put?: never;
        post?: never;
        /** Delete a config and its secrets */
        delete: operations["delete_mcps_id"];
        options?: never;
        head?: never;
        /**
         * Change a config
         * @description `config` is merged (docs/api.md). Owner, or an admin of the config's org.
         */
        patch: operations["patch_mcps_id"];
        trace?: never;
    };
    "/api/v1/mcps/{id}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connect afresh and say what answered
         * @description 200 whether the server is up or not; what the gateway decides before connecting is answered as on every call.
         */
        post: operations["post_mcps_id_check"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suggestions for a prompt argument or template variable */
        post: operations["post_mcps_id_complete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open the server-to-client stream of a 2025 session of one config's server */
        get: operations["get_mcps_id_mcp"];
        put?: never;
        /**
         * Send a JSON-RPC message to one config's server
         * @description MCP streamable HTTP, both protocol generations. A 2025 `initialize` answers `Mcp-Session-Id`.
         */
        post: operations["post_mcps_id_mcp"];
        /** End a 2025 session of one config's server */
        delete: operations["delete_mcps_id_mcp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/oauth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Disconnect the caller (revoking at the provider) */
        delete: operations["delete_mcps_id_oauth"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/oauth/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm the callback's tokens as the caller's connection */
        post: operations["post_mcps_id_oauth_complete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/oauth/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start connecting the caller
         * @description Open `authorization_url` in a popup (or the whole tab, with `return_to`). Only the caller can complete.
         */
        post: operations["post_mcps_id_oauth_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/prompts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the prompts */
        get: operations["get_mcps_id_prompts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/prompts/{prompt}/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Get a prompt */
        post: operations["post_mcps_id_prompts_prompt_get"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the resources */
        get: operations["get_mcps_id_resources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/resources/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a resource */
        get: operations["get_mcps_id_resources_read"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/resources/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the resource templates */
        get: operations["get_mcps_id_resources_templates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tools
         * @description Answered from the cached listing; send `Cache-Control: no-cache` to list afresh.
         */
        get: operations["get_mcps_id_tools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/tools/{tool}/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Call a tool
         * @description JSON by default; `Accept: text/event-stream` streams progress and logs; `Prefer: respond-async` answers 202 at once.
         */
        post: operations["post_mcps_id_tools_tool_execute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/tools/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve exact versions of definitions (owner or org admin) */
        post: operations["post_mcps_id_tools_approve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/tools/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What waits for approval, with diffs */
        get: operations["get_mcps_id_tools_changes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/upgrade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a registry config to its entry's latest version */
        post: operations["post_mcps_id_upgrade"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mcps/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Calls, errors by code and latency of one config
         * @description The caller's own calls; an org admin's view of an org config covers the org.
         */
        get: operations["get_mcps_id_usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the provider sends the user
         * @description The state is the credential, consumed once. Always a small HTML page that posts the outcome to the app origin (`window.opener`) or goes to `return_to`.
         */
        get: operations["get_oauth_callback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/client-metadata.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The gateway's OAuth Client ID Metadata Document */
        get: operations["get_oauth_client_metadata_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["get_openapi_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pool/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The pool's state */
        get: operations["get_pool_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pool/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Not served: the pool is stateless (POST only) */
        get: operations["get_pool_mcp"];
        put?: never;
        /** One JSON-RPC request to the caller's stdio server (stateless MCP streamable HTTP) */
        post: operations["post_pool_mcp"];
        /** Not served: the pool is stateless (POST only) */
        delete: operations["delete_pool_mcp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/proposals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's org's proposals */
        get: operations["get_registry_proposals"];
        put?: never;
        /** Propose a stdio package for the catalog (org admins) */
        post: operations["post_registry_proposals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refresh the registry cache (Cloud Scheduler) */
        post: operations["post_registry_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/servers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the MCP registries */
        get: operations["get_registry_servers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/servers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One registry entry, with its forms */
        get: operations["get_registry_servers_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/servers/{namespace}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One registry entry, with its forms (the name with its slash as is) */
        get: operations["get_registry_servers_namespace_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stdio/catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What stdio servers may be registered */
        get: operations["get_stdio_catalog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the caller's (or, for org admins, the org's) tokens */
        get: operations["get_tokens"];
        put?: never;
        /** Create a personal access token (with an ID token only) */
        post: operations["post_tokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token */
        delete: operations["delete_tokens_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Approved: {
            prompts?: {
                /** @constant */
                approval: "approved";
                fingerprint: string;
                name?: string;
                uri?: string;
            }[];
            resources?: {
                /** @constant */
                approval: "approved";
                fingerprint: string;
                name?: string;
                uri?: string;
            }[];
            tools?: {
                /** @constant */
                approval: "approved";
                fingerprint: string;
                name?: string;
                uri?: string;
            }[];
        };
        AuditPage: {
            items: components["schemas"]["AuditRecord"][];
            next_cursor: string | null;
        };
        /** @description One audit record, as stored: never arguments or results. */
        AuditRecord: {
            /** @enum {unknown} */
            action: "mcp.create" | "mcp.update" | "mcp.delete" | "tool.execute" | "tool.blocked" | "tool.approve" | "oauth.connect" | "oauth.complete" | "oauth.disconnect" | "execution.input" | "stdio.home_save" | "token.create" | "token.revoke";
            actor: string;
            argument_names?: string[];
            /** Format: date-time */
            at: string;
            bytes?: number;
            cap?: number;
            code?: string;
            duration_ms: number;
            execution_id?: string;
            id: string;
            /** @enum {unknown} */
            input?: "asked" | "answered" | "declined" | "cancelled" | "timed_out";
            input_kinds?: string[];
            /** @enum {unknown} */
            kind?: "tool" | "prompt" | "resource";
            mcp_id: string;
            names?: string[];
            org: string | null;
            /** @enum {unknown} */
            outcome: "ok" | "error" | "denied" | "cancelled";
            rate_limit?: {
                policy?: string;
            };
            round?: number;
            token_id?: string;
            tool?: string;
        };
        Catalog: {
            items: components["schemas"]["CatalogEntry"][];
        };
        CatalogEntry: {
            description?: string | null;
            env: {
                [key: string]: {
                    description?: string | null;
                    /** @enum {unknown} */
                    kind: "value" | "path";
                    required: boolean;
                    secret: boolean;
                };
            };
            id: string;
            params: {
                [key: string]: {
                    description?: string | null;
                    /** @enum {unknown} */
                    kind: "value" | "path";
                    required: boolean;
                    schema: Record<string, unknown>;
                };
            };
        };
        Change: {
            approval: string;
            approval_reason?: string | null;
            approved_fingerprint?: string | null;
            change: string;
            definition?: Record<string, unknown>;
            diff?: Record<string, unknown> | null;
            findings?: components["schemas"]["Finding"][];
            fingerprint?: string;
            name?: string;
            renamed_from?: string | null;
            uri?: string;
        };
        Changes: {
            fingerprint?: string;
            /** @enum {unknown} */
            mode: "pin" | "open";
            prompts: components["schemas"]["Change"][];
            removed: {
                prompts?: Record<string, unknown>[];
                resources?: Record<string, unknown>[];
                tools?: Record<string, unknown>[];
            };
            resources: components["schemas"]["Change"][];
            tools: components["schemas"]["Change"][];
        };
        Check: {
            capabilities?: Record<string, unknown> | null;
            /** Format: date-time */
            checked_at: string;
            error: {
                code: string;
                detail: string;
                reason?: string | null;
                start_url?: string;
                upstream?: Record<string, unknown>;
            } | null;
            instructions?: string | null;
            latency_ms: number;
            ok: boolean;
            protocol_version?: string | null;
            server?: {
                name?: string;
                title?: string | null;
                version?: string | null;
            } | null;
        };
        ClientMetadata: {
            client_id: string;
            client_name?: string;
            client_uri?: string;
            grant_types?: string[];
            redirect_uris: string[];
            response_types?: string[];
            token_endpoint_auth_method?: string;
        };
        Completion: {
            completion: {
                has_more?: boolean | null;
                total?: number | null;
                values: string[];
            };
            warnings?: components["schemas"]["Warning"][];
        };
        Connection: {
            connected: boolean;
            /** Format: date-time */
            expires_at?: string | null;
            last_error?: string | null;
            /** Format: date-time */
            last_refreshed_at?: string | null;
            scopes?: string[];
            /** @enum {unknown} */
            state: "connected" | "refreshing" | "error" | "expired" | "revoked" | "needs_auth" | "not_connected";
        };
        "discovery.create": {
            /** @enum {unknown} */
            auth_type?: "none" | "oauth";
            config?: {
                rate_limit?: string;
                /** @description a whole number of milliseconds from 100 to 3600000 */
                timeout_ms?: number;
                tool_policy?: Record<string, unknown>;
            };
            from_registry: {
                name: string;
                /** @default 0 */
                remote?: number;
                values?: {
                    [key: string]: string | number | boolean;
                };
                version?: string;
            };
            name?: string;
            /**
             * @default user
             * @enum {unknown}
             */
            scope?: "user" | "org";
        };
        "discovery.proposal": {
            name: string;
            note?: string;
            /** @default 0 */
            package?: number;
            version: string;
        };
        "discovery.upgrade": {
            values?: {
                [key: string]: string | number | boolean;
            };
        };
        Execution: {
            error: components["schemas"]["Problem"] | null;
            /** Format: date-time */
            expires_at: string;
            id: string;
            input_requests: {
                [key: string]: components["schemas"]["InputRequest"];
            } | null;
            progress: components["schemas"]["Progress"] | null;
            /** @description The completed body: a ToolResult, PromptResult or ResourceContents. */
            result: Record<string, unknown> | null;
            /** @enum {unknown} */
            status: "working" | "input_required" | "completed" | "failed" | "cancelled";
        };
        Finding: {
            field?: string;
            rule: string;
            /** @enum {unknown} */
            severity: "critical" | "high" | "medium";
            span?: {
                end?: number;
                start?: number;
                text?: string;
            };
        };
        GatewayHealth: {
            config: {
                /** @enum {unknown} */
                cors?: "on" | "off";
                mode?: string;
                ok: boolean;
                /** @enum {unknown} */
                stdio?: "on" | "off";
            };
            /** @enum {unknown} */
            status: "ok" | "degraded";
            store: {
                adapter: string;
                error?: string;
                latency_ms?: number;
                ok: boolean;
            };
            vault: {
                adapter: string;
                error?: string;
                latency_ms?: number;
                ok: boolean;
            };
            version: string;
        };
        /** @description A finding about the server: the last check, or a call that could not reach it. */
        Health: {
            /** Format: date-time */
            checked_at: string;
            error: {
                code: string;
                reason?: string | null;
            } | null;
            ok: boolean;
            /** @enum {unknown} */
            source: "check" | "call";
        };
        InputRequest: {
            /** @enum {unknown} */
            kind: "elicitation" | "sampling";
            message?: string;
            /** @enum {unknown} */
            mode?: "form" | "url";
            params?: Record<string, unknown>;
            requested_schema?: Record<string, unknown>;
            url?: string;
            url_host?: string;
        };
        /** @description The call stopped to ask its user: answer with POST /executions/{id}/input before `expires_at`. */
        InputRequired: {
            execution_id: string;
            /** Format: date-time */
            expires_at: string;
            input_requests: {
                [key: string]: components["schemas"]["InputRequest"];
            };
            /** @constant */
            status: "input_required";
        };
        /** @description A JSON-RPC 2.0 message or batch (MCP streamable HTTP). */
        JsonRpc: Record<string, unknown> | unknown[];
        LogEvent: {
            data?: unknown;
            level: string;
            logger?: string | null;
        };
        /** @description A config as its caller sees it. Secrets are never shown: only `has_token`, `secret_header_names`, `env_names`, `has_client_secret`. */
        Mcp: {
            /** @enum {unknown} */
            auth_type: "none" | "bearer" | "oauth";
            config: {
                catalog_id?: string;
                env_names?: string[];
                has_token: boolean;
                headers: {
                    [key: string]: string;
                };
                oauth?: {
                    client_id?: string;
                    has_client_secret?: boolean;
                    provider?: string;
                    scopes?: string[];
                    token_endpoint_auth_method?: string;
                };
                params?: Record<string, unknown>;
                rate_limit?: string;
                secret_header_names: string[];
                timeout_ms?: number;
                tool_policy: components["schemas"]["ToolPolicy"];
            };
            connection?: components["schemas"]["Connection"];
            /** Format: date-time */
            created_at: string;
            created_by: string;
            endpoint: string | null;
            health: components["schemas"]["Health"] | null;
            id: string;
            name: string;
            org_id: string | null;
            registry?: {
                deleted?: boolean;
                deprecated?: boolean;
                latest_version?: string | null;
                name: string;
                remote?: number;
                secret_names?: string[];
                source?: string;
                status?: string | null;
                update_available?: boolean;
                values?: Record<string, unknown>;
                version: string;
            };
            /** @enum {unknown} */
            scope: "user" | "org";
            /** @enum {unknown} */
            status: "ready" | "needs_auth" | "error";
            /** @enum {unknown} */
            type: "http" | "sse" | "stdio";
            /** Format: date-time */
            updated_at: string;
        };
        "mcp.approve-body": {
            acknowledge_findings?: boolean;
            prompts?: {
                [key: string]: string;
            };
            resources?: {
                [key: string]: string;
            };
            tools?: {
                [key: string]: string;
            };
        };
        "mcp.complete-body": {
            argument: {
                name: string;
                value: string;
            };
            context?: {
                arguments?: {
                    [key: string]: string;
                };
            };
            ref: {
                name?: string;
                /** @enum {unknown} */
                type: "ref/prompt" | "ref/resource";
                uri?: string;
            };
        };
        "mcp.create": {
            /**
             * @default none
             * @enum {unknown}
             */
            auth_type?: "none" | "bearer" | "oauth";
            config?: {
                catalog_id?: string;
                env?: {
                    [key: string]: string;
                };
                headers?: {
                    [key: string]: string;
                };
                oauth?: {
                    audience?: string;
                    auth_url?: string;
                    client_id?: string;
                    client_secret?: string;
                    domain?: string;
                    /** @enum {unknown} */
                    provider?: "github" | "google" | "microsoft" | "auth0" | "atlassian" | "slack";
                    revocation_url?: string;
                    scopes?: string[];
                    tenant?: string;
                    /** @enum {unknown} */
                    token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post" | "none";
                    token_url?: string;
                };
                params?: {
                    [key: string]: string | number | boolean;
                };
                rate_limit?: string;
                secret_headers?: {
                    [key: string]: string;
                };
                /** @description a whole number of milliseconds from 100 to 3600000 */
                timeout_ms?: number;
                token?: string;
                tool_policy?: {
                    allow?: string[];
                    deny?: string[];
                    /** @enum {unknown} */
                    mode?: "pin" | "open";
                };
            };
            endpoint?: string;
            name: string;
            /**
             * @default user
             * @enum {unknown}
             */
            scope?: "user" | "org";
            /** @enum {unknown} */
            type: "http" | "sse" | "stdio";
        };
        /** @description {"arguments": {...}}, with the tool's arguments inside "arguments" (and, when streaming, an optional "log_level"; for an interactive call, "capabilities": {...}) */
        "mcp.execute-body": {
            arguments?: Record<string, unknown>;
            capabilities?: {
                elicitation?: {
                    form?: Record<string, unknown>;
                    url?: Record<string, unknown>;
                };
                sampling?: Record<string, unknown>;
            };
            /** @enum {unknown} */
            log_level?: "debug" | "info" | "notice" | "warning" | "error" | "critical" | "alert" | "emergency";
        };
        "mcp.input-body": {
            responses: {
                [key: string]: Record<string, unknown>;
            };
        };
        "mcp.patch": {
            /** @enum {unknown} */
            auth_type?: "none" | "bearer" | "oauth";
            config?: {
                env?: {
                    [key: string]: string | null;
                };
                headers?: {
                    [key: string]: string;
                } | null;
                oauth?: {
                    audience?: string | null;
                    auth_url?: string | null;
                    client_id?: string | null;
                    client_secret?: string | null;
                    domain?: string | null;
                    provider?: ("github" | "google" | "microsoft" | "auth0" | "atlassian" | "slack") | null;
                    revocation_url?: string | null;
                    scopes?: string[] | null;
                    tenant?: string | null;
                    token_endpoint_auth_method?: ("client_secret_basic" | "client_secret_post" | "none") | null;
                    token_url?: string | null;
                } | null;
                params?: {
                    [key: string]: string | number | boolean;
                };
                rate_limit?: string | null;
                secret_headers?: {
                    [key: string]: string | null;
                } | null;
                /** @description a whole number of milliseconds from 100 to 3600000, or null to unset it */
                timeout_ms?: number | null;
                token?: string | null;
                tool_policy?: {
                    allow?: string[];
                    deny?: string[];
                    /** @enum {unknown} */
                    mode?: "pin" | "open";
                } | null;
            };
            endpoint?: string;
            name?: string;
            /** @enum {unknown} */
            scope?: "user" | "org";
            /** @enum {unknown} */
            type?: "http" | "sse" | "stdio";
        };
        "mcp.prompt-body": {
            arguments?: {
                [key: string]: string;
            };
            capabilities?: {
                elicitation?: {
                    form?: Record<string, unknown>;
                    url?: Record<string, unknown>;
                };
                sampling?: Record<string, unknown>;
            };
        };
        McpPage: {
            items: components["schemas"]["Mcp"][];
            next_cursor: string | null;
        };
        NewToken: components["schemas"]["Token"] & {
            token: string;
        };
        /** @description Disconnected here, but the provider did not confirm the revocation. */
        NotRevoked: {
            detail: string;
            provider_status?: number;
            /** @enum {unknown} */
            reason: "revocation_refused" | "revocation_unsupported" | "revocation_failed" | "egress_denied";
            /** @constant */
            revoked: false;
        };
        "oauth.complete-body": {
            completion: string;
        };
        "oauth.start-body": {
            return_to?: string;
            scopes?: string[];
        };
        OAuthStart: {
            /** Format: uri */
            authorization_url: string;
            /** Format: date-time */
            expires_at: string;
        };
        PoolHealth: {
            configured: boolean;
            entries?: number;
            /** @constant */
            status: "ok";
        };
        /** @description RFC 9457 problem details. `code` is stable (README, "Errors"); members beyond these depend on the code. */
        Problem: {
            code: string;
            conflicts?: Record<string, unknown>;
            detail?: string;
            diff?: Record<string, unknown> | null;
            errors?: {
                message: string;
                path: string;
            }[];
            execution_id?: string;
            instance?: string;
            prompt?: string;
            quota?: {
                limit?: number;
                name?: string;
            };
            reason?: string;
            required_scopes?: string[];
            retry_after?: number;
            start_url?: string;
            status: number;
            status_now?: string;
            title: string;
            tool?: string;
            /** Format: uri */
            type: string;
            /** @description Why an upstream failed: `reason`, or the server's JSON-RPC `code` and `message`. */
            upstream?: {
                code?: number;
                exit_code?: number | null;
                http_status?: number;
                message?: string;
                reason?: string;
                signal?: string | null;
                stderr?: string[];
            };
            violated_policies?: string[];
        };
        Progress: {
            message?: string | null;
            progress: number;
            total?: number | null;
        };
        Prompt: {
            /** @enum {unknown} */
            approval?: "approved" | "pending" | "blocked";
            /** @enum {unknown} */
            approval_reason?: null | "new" | "changed" | "renamed" | "not_yet_approved" | "critical_findings";
            arguments?: {
                description?: string | null;
                name: string;
                required?: boolean | null;
            }[];
            description?: string | null;
            findings?: components["schemas"]["Finding"][];
            fingerprint?: string;
            name: string;
            title?: string | null;
        };
        PromptResult: {
            description?: string | null;
            execution_id?: string;
            messages: Record<string, unknown>[];
            /** @constant */
            status?: "completed";
        };
        Prompts: {
            prompts: components["schemas"]["Prompt"][];
            warnings?: components["schemas"]["Warning"][];
        };
        Proposal: {
            by?: string;
            /** Format: date-time */
            created_at: string;
            id: string;
            name: string;
            note?: string | null;
            org?: string | null;
            package: Record<string, unknown>;
            source?: string;
            version: string;
        };
        ProposalPage: {
            items: components["schemas"]["Proposal"][];
            next_cursor: string | null;
        };
        Refreshed: {
            sources: {
                complete?: boolean;
                pages?: number;
                skipped?: number;
                source: string;
                stored?: number;
            }[];
        };
        RegistryPage: {
            items: components["schemas"]["RegistryServer"][];
            next_cursor: string | null;
        };
        RegistryServer: {
            description?: string | null;
            icons?: Record<string, unknown>[];
            name: string;
            packages?: {
                catalog_ids?: string[];
                forms?: Record<string, unknown>[];
                identifier?: string;
                index?: number;
                registry_type?: string;
                transport?: string | null;
                version?: string | null;
            }[];
            /** Format: date-time */
            published_at?: string | null;
            remotes?: {
                form?: Record<string, unknown>;
                headers?: Record<string, unknown>[];
                index: number;
                reason?: string | null;
                registrable: boolean;
                type: string;
                url?: string;
                variables?: string[];
            }[];
            repository?: Record<string, unknown> | null;
            source?: string;
            status?: string | null;
            title?: string | null;
            /** Format: date-time */
            updated_at?: string | null;
            version: string;
            versions?: {
                is_latest?: boolean;
                /** Format: date-time */
                published_at?: string | null;
                status?: string | null;
                version: string;
            }[];
            website_url?: string | null;
        };
        Resource: {
            /** @enum {unknown} */
            approval?: "approved" | "pending" | "blocked";
            /** @enum {unknown} */
            approval_reason?: null | "new" | "changed" | "renamed" | "not_yet_approved" | "critical_findings";
            description?: string | null;
            findings?: components["schemas"]["Finding"][];
            fingerprint?: string;
            mime_type?: string | null;
            name?: string | null;
            size?: number | null;
            title?: string | null;
            uri: string;
        };
        ResourceContents: {
            contents: {
                blob?: string;
                mime_type?: string | null;
                text?: string;
                uri: string;
            }[];
            execution_id?: string;
            /** @constant */
            status?: "completed";
        };
        /** @description RFC 9728 protected resource metadata. */
        ResourceMetadata: {
            authorization_servers: string[];
            bearer_methods_supported: string[];
            resource: string;
            resource_documentation?: string;
            resource_name?: string;
        };
        Resources: {
            resources: components["schemas"]["Resource"][];
            warnings?: components["schemas"]["Warning"][];
        };
        ResourceTemplates: {
            resource_templates: {
                description?: string | null;
                mime_type?: string | null;
                name?: string | null;
                title?: string | null;
                uri_template: string;
            }[];
            warnings?: components["schemas"]["Warning"][];
        };
        Token: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string;
            id: string;
            /** Format: date-time */
            last_used_at?: string | null;
            name: string;
            org_id?: string | null;
            owner_id: string;
            scopes: string[];
        };
        TokenPage: {
            items: components["schemas"]["Token"][];
            next_cursor: string | null;
        };
        /** @description {"name", "expires_in" (seconds), "scopes": ["mcp"]} */
        "tokens.create-body": {
            expires_in?: number;
            name: string;
            scopes?: "mcp"[];
        };
        Tool: {
            annotations?: Record<string, unknown> | null;
            /** @enum {unknown} */
            approval: "approved" | "pending" | "blocked";
            /** @enum {unknown} */
            approval_reason?: null | "new" | "changed" | "renamed" | "not_yet_approved" | "critical_findings";
            description?: string | null;
            findings?: components["schemas"]["Finding"][];
            fingerprint: string;
            input_schema: Record<string, unknown>;
            name: string;
            output_schema?: Record<string, unknown> | null;
            title?: string | null;
            /** @enum {unknown} */
            validation: "gateway" | "skipped";
            validation_reason?: string | null;
        };
        ToolPolicy: {
            allow?: string[];
            deny?: string[];
            /** @enum {unknown} */
            mode: "pin" | "open";
        };
        /** @description A completed tool call (`execution_id` when it ran as an execution). */
        ToolResult: {
            content: Record<string, unknown>[];
            execution_id?: string;
            is_error: boolean;
            /** @constant */
            status: "completed";
            structured_content?: Record<string, unknown> | null;
        };
        Tools: {
            fingerprint?: string;
            tools: components["schemas"]["Tool"][];
            warnings?: components["schemas"]["Warning"][];
        };
        Usage: {
            calls: number;
            errors: {
                [key: string]: number;
            };
            latency_ms: {
                p50: number | null;
                p95: number | null;
            };
            mcp_id: string;
            /** @enum {unknown} */
            scope: "user" | "org";
            /** Format: date-time */
            since: string;
            /** Format: date-time */
            until: string;
            /** @enum {unknown} */
            window: "1h" | "24h" | "7d";
        };
        Warning: {
            code: string;
            message?: string;
            method?: string;
        };
    };
    responses: never;
    parameters: {
        /** @description `text/event-stream` streams `progress` and `log` events, then one `result` or `error`. */
        Accept: string;
        /** @description `no-cache` lists afresh instead of answering from the cached listing. */
        "Cache-Control": string;
        /** @description The authorization code. */
        code: string;
        /** @description The provider's error code. */
        error: string;
        /** @description The provider's words (not shown). */
        error_description: string;
        /** @description RFC 9110 §13.1.1: an `ETag` from an earlier answer (`"v3"`), a list of them, or `*`; a stale one is 412 with the current `ETag`. */
        "If-Match": string;
        /** @description The `ETag` of a copy the client holds: 304 when it is current. */
        "If-None-Match": string;
        /** @description RFC 9207: the issuer. */
        iss: string;
        /** @description Resume a session's stream after this event. */
        "Last-Event-ID": string;
        /** @description The negotiated MCP protocol version. */
        "Mcp-Protocol-Version": string;
        /** @description A 2025 session, from the `initialize` answer. */
        "Mcp-Session-Id": string;
        /** @description MCP streamable HTTP: `application/json, text/event-stream`. */
        McpAccept: string;
        /** @description `respond-async`: answer 202 with `Location` at once and go on without the connection. */
        Prefer: string;
        /** @description The single-use state from `oauth/start`. */
        state: string;
        /** @description The signed stdio server spec (the gateway sets it). */
        "X-Stdio-Spec": string;
    };
    requestBodies: never;
    headers: {
        /** @description The methods this path serves. */
        Allow: string;
        /** @description How long the answer may be kept. */
        "Cache-Control": string;
        /** @description Scripts, styles and connections from the gateway only. */
        "Content-Security-Policy": string;
        /** @description The config's version (`"v<n>"`) or the document's digest; send it back in `If-Match` (`If-None-Match`). */
        ETag: string;
        /** @description Where the created resource (or the running execution) is. */
        Location: string;
        /** @description A 2025 session opened by `initialize`. */
        "Mcp-Session-Id": string;
        /** @description draft-ietf-httpapi-ratelimit-headers: tokens left per limit. */
        RateLimit: string;
        /** @description draft-ietf-httpapi-ratelimit-headers: the limits that apply. */
        "RateLimit-Policy": string;
        /** @description Seconds to wait before trying again. */
        "Retry-After": string;
        /** @description `Bearer`, with `resource_metadata` on the MCP endpoints (RFC 9728). */
        "WWW-Authenticate": string;
        /** @description This request's id, also in the log. */
        "X-Request-Id": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    get_well_known_oauth_protected_resource_api_v1_mcp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Protected resource metadata. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceMetadata"];
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
        };
    };
    get_well_known_oauth_protected_resource_api_v1_mcps_id_mcp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Any config id (the answer does not say whether it exists). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Protected resource metadata. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceMetadata"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
        };
    };
    get_audit: {
        parameters: {
            query?: {
                action?: "mcp.create" | "mcp.update" | "mcp.delete" | "tool.execute" | "tool.blocked" | "tool.approve" | "oauth.connect" | "oauth.complete" | "oauth.disconnect" | "execution.input" | "stdio.home_save" | "token.create" | "token.revoke";
                /** @description Must be the next_cursor of the page before, unchanged. */
                cursor?: string;
                /** @description Must be a whole number from 1 to 200. */
                limit?: string;
                /** @description Must be an MCP config id. */
                mcp_id?: string;
                /** @description Must be an RFC 3339 date-time, e.g. 2026-11-26T07:00:00Z. */
                since?: string;
                /** @description Must be an RFC 3339 date-time, e.g. 2026-11-26T07:00:00Z. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of records. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_docs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    get_docs_asset: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` of a copy the client holds: 304 when it is current. */
                "If-None-Match"?: components["parameters"]["If-None-Match"];
            };
            path: {
                /** @description A file name: `swagger-ui.css`, `swagger-ui-bundle.js`, `init.js`, `favicon-32x32.png`. */
                asset: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "text/css": string;
                    "text/javascript": string;
                };
            };
            /** @description Not modified. */
            304: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
        };
    };
    get_executions_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The execution. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    delete_executions_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `conflict` (Conflict), `not_waiting` (Not waiting for input) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict" | "not_waiting";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_executions_id_input: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async`: answer 202 with `Location` at once and go on without the connection. */
                Prefer?: components["parameters"]["Prefer"];
            };
            path: {
                /** @description The execution's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["mcp.input-body"];
            };
        };
        responses: {
            /** @description The result (of the tool call, prompt or resource read that asked) or the next question. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ToolResult"] | components["schemas"]["PromptResult"] | components["schemas"]["ResourceContents"] | components["schemas"]["InputRequired"];
                };
            };
            /** @description Still running (`Prefer: respond-async`, or an answer that waited 50 s): follow `Location`. */
            202: {
                headers: {
                    Location: components["headers"]["Location"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `input_timeout` (Input timeout) */
            408: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "input_timeout";
                        /** @constant */
                        status?: 408;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict), `not_waiting` (Not waiting for input), `tool_not_approved` (Tool not approved), `cancelled` (Client closed request) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict" | "not_waiting" | "tool_not_approved" | "cancelled";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `expired` (Expired) */
            410: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "expired";
                        /** @constant */
                        status?: 410;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayHealth"];
                };
            };
            /** @description Degraded (same body, `status: "degraded"`). */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayHealth"];
                };
            };
        };
    };
    get_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume a session's stream after this event. */
                "Last-Event-ID"?: components["parameters"]["Last-Event-ID"];
                /** @description The negotiated MCP protocol version. */
                "Mcp-Protocol-Version"?: components["parameters"]["Mcp-Protocol-Version"];
                /** @description A 2025 session, from the `initialize` answer. */
                "Mcp-Session-Id"?: components["parameters"]["Mcp-Session-Id"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session's event stream. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description MCP streamable HTTP: `application/json, text/event-stream`. */
                Accept?: components["parameters"]["McpAccept"];
                /** @description The negotiated MCP protocol version. */
                "Mcp-Protocol-Version"?: components["parameters"]["Mcp-Protocol-Version"];
                /** @description A 2025 session, from the `initialize` answer. */
                "Mcp-Session-Id"?: components["parameters"]["Mcp-Session-Id"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JsonRpc"];
            };
        };
        responses: {
            /** @description The JSON-RPC response, as JSON or as an event stream. */
            200: {
                headers: {
                    "Mcp-Session-Id": components["headers"]["Mcp-Session-Id"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "text/event-stream": string;
                };
            };
            /** @description A notification or response, accepted. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    delete_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description The negotiated MCP protocol version. */
                "Mcp-Protocol-Version"?: components["parameters"]["Mcp-Protocol-Version"];
                /** @description A 2025 session, from the `initialize` answer. */
                "Mcp-Session-Id"?: components["parameters"]["Mcp-Session-Id"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Ended. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_mcps: {
        parameters: {
            query?: {
                /** @description Must be the next_cursor of the page before, unchanged. */
                cursor?: string;
                /** @description Must be a whole number from 1 to 100. */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page, ordered by id. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["McpPage"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["mcp.create"] | components["schemas"]["discovery.create"];
            };
        };
        responses: {
            /** @description The config. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mcp"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied), `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied" | "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `precondition_failed` (Precondition failed) */
            412: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "precondition_failed";
                        /** @constant */
                        status?: 412;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `quota_exceeded` (Quota exceeded), `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "quota_exceeded" | "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The config. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mcp"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    delete_mcps_id: {
        parameters: {
            query?: never;
            header?: {
                /** @description RFC 9110 §13.1.1: an `ETag` from an earlier answer (`"v3"`), a list of them, or `*`; a stale one is 412 with the current `ETag`. */
                "If-Match"?: components["parameters"]["If-Match"];
            };
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `precondition_failed` (Precondition failed) */
            412: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "precondition_failed";
                        /** @constant */
                        status?: 412;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    patch_mcps_id: {
        parameters: {
            query?: never;
            header?: {
                /** @description RFC 9110 §13.1.1: an `ETag` from an earlier answer (`"v3"`), a list of them, or `*`; a stale one is 412 with the current `ETag`. */
                "If-Match"?: components["parameters"]["If-Match"];
            };
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["mcp.patch"];
            };
        };
        responses: {
            /** @description The changed config. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mcp"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied), `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied" | "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `precondition_failed` (Precondition failed) */
            412: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "precondition_failed";
                        /** @constant */
                        status?: 412;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `quota_exceeded` (Quota exceeded), `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "quota_exceeded" | "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcps_id_check: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The check (kept as the config's `health` for the caller). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Check"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcps_id_complete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["mcp.complete-body"];
            };
        };
        responses: {
            /** @description At most 100 values. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Completion"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume a session's stream after this event. */
                "Last-Event-ID"?: components["parameters"]["Last-Event-ID"];
                /** @description The negotiated MCP protocol version. */
                "Mcp-Protocol-Version"?: components["parameters"]["Mcp-Protocol-Version"];
                /** @description A 2025 session, from the `initialize` answer. */
                "Mcp-Session-Id"?: components["parameters"]["Mcp-Session-Id"];
            };
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session's event stream. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcps_id_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description MCP streamable HTTP: `application/json, text/event-stream`. */
                Accept?: components["parameters"]["McpAccept"];
                /** @description The negotiated MCP protocol version. */
                "Mcp-Protocol-Version"?: components["parameters"]["Mcp-Protocol-Version"];
                /** @description A 2025 session, from the `initialize` answer. */
                "Mcp-Session-Id"?: components["parameters"]["Mcp-Session-Id"];
            };
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JsonRpc"];
            };
        };
        responses: {
            /** @description The JSON-RPC response, as JSON or as an event stream. */
            200: {
                headers: {
                    "Mcp-Session-Id": components["headers"]["Mcp-Session-Id"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "text/event-stream": string;
                };
            };
            /** @description A notification or response, accepted. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    delete_mcps_id_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description The negotiated MCP protocol version. */
                "Mcp-Protocol-Version"?: components["parameters"]["Mcp-Protocol-Version"];
                /** @description A 2025 session, from the `initialize` answer. */
                "Mcp-Session-Id"?: components["parameters"]["Mcp-Session-Id"];
            };
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Ended. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description A JSON-RPC error from the MCP transport. */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    delete_mcps_id_oauth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disconnected here, but the provider did not confirm the revocation. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotRevoked"];
                };
            };
            /** @description Disconnected and revoked (or nothing to revoke). */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcps_id_oauth_complete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["oauth.complete-body"];
            };
        };
        responses: {
            /** @description The config, `connection.state: "connected"`. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mcp"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_mcps_id_oauth_start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["oauth.start-body"];
            };
        };
        responses: {
            /** @description Where to send the user. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthStart"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_prompts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The listing (`warnings` when the server did not answer a list method). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Prompts"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    post_mcps_id_prompts_prompt_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
                /** @description The prompt's name. */
                prompt: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["mcp.prompt-body"];
            };
        };
        responses: {
            /** @description The result, or (with `capabilities`) the question the server asks first. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptResult"] | components["schemas"]["InputRequired"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `input_timeout` (Input timeout) */
            408: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "input_timeout";
                        /** @constant */
                        status?: 408;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict), `tool_not_approved` (Tool not approved), `cancelled` (Client closed request) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict" | "tool_not_approved" | "cancelled";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_resources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The listing (`warnings` when the server did not answer a list method). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Resources"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_resources_read: {
        parameters: {
            query: {
                /** @description Must be a comma-separated list of elicitation, elicitation.form, elicitation.url, sampling. */
                capabilities?: string;
                uri: string;
            };
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result, or (with `capabilities`) the question the server asks first. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceContents"] | components["schemas"]["InputRequired"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `input_timeout` (Input timeout) */
            408: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "input_timeout";
                        /** @constant */
                        status?: 408;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict), `tool_not_approved` (Tool not approved), `cancelled` (Client closed request) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict" | "tool_not_approved" | "cancelled";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_resources_templates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The listing (`warnings` when the server did not answer a list method). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceTemplates"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_tools: {
        parameters: {
            query?: never;
            header?: {
                /** @description `no-cache` lists afresh instead of answering from the cached listing. */
                "Cache-Control"?: components["parameters"]["Cache-Control"];
            };
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The listing (`warnings` when the server did not answer a list method). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tools"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    post_mcps_id_tools_tool_execute: {
        parameters: {
            query?: never;
            header?: {
                /** @description `text/event-stream` streams `progress` and `log` events, then one `result` or `error`. */
                Accept?: components["parameters"]["Accept"];
                /** @description `respond-async`: answer 202 with `Location` at once and go on without the connection. */
                Prefer?: components["parameters"]["Prefer"];
            };
            path: {
                /** @description The config's id. */
                id: string;
                /** @description The tool's name. */
                tool: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["mcp.execute-body"];
            };
        };
        responses: {
            /** @description The result, or the question the tool asks its user. */
            200: {
                headers: {
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ToolResult"] | components["schemas"]["InputRequired"];
                    "text/event-stream": string;
                };
            };
            /** @description Still running (`Prefer: respond-async`, or an answer that waited 50 s): follow `Location`. */
            202: {
                headers: {
                    Location: components["headers"]["Location"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `input_timeout` (Input timeout) */
            408: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "input_timeout";
                        /** @constant */
                        status?: 408;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict), `tool_not_approved` (Tool not approved), `cancelled` (Client closed request) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict" | "tool_not_approved" | "cancelled";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    post_mcps_id_tools_approve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["mcp.approve-body"];
            };
        };
        responses: {
            /** @description What was approved. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approved"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied), `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied" | "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_tools_changes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The listing (`warnings` when the server did not answer a list method). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Changes"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `authorization_required` (Authorization required), `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "authorization_required" | "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    post_mcps_id_upgrade: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["discovery.upgrade"];
            };
        };
        responses: {
            /** @description The config. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mcp"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied), `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied" | "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `precondition_failed` (Precondition failed) */
            412: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "precondition_failed";
                        /** @constant */
                        status?: 412;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `rate_limited` (Too many requests) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_mcps_id_usage: {
        parameters: {
            query?: {
                window?: "1h" | "24h" | "7d";
            };
            header?: never;
            path: {
                /** @description The config's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Usage over the window. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Usage"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_oauth_callback: {
        parameters: {
            query?: {
                /** @description The authorization code. */
                code?: components["parameters"]["code"];
                /** @description The provider's error code. */
                error?: components["parameters"]["error"];
                /** @description The provider's words (not shown). */
                error_description?: components["parameters"]["error_description"];
                /** @description RFC 9207: the issuer. */
                iss?: components["parameters"]["iss"];
                /** @description The single-use state from `oauth/start`. */
                state?: components["parameters"]["state"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page (strict CSP, `X-Frame-Options: DENY`). */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    get_oauth_client_metadata_json: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Its `client_id` is its own URL. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientMetadata"];
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_openapi_json: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` of a copy the client holds: 304 when it is current. */
                "If-None-Match"?: components["parameters"]["If-None-Match"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        info: Record<string, unknown>;
                        openapi: string;
                        paths: Record<string, unknown>;
                    };
                };
            };
            /** @description Not modified. */
            304: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    get_pool_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts, no secrets. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolHealth"];
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_pool_mcp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `method_not_allowed` (Method not allowed) */
            405: {
                headers: {
                    Allow: components["headers"]["Allow"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "method_not_allowed";
                        /** @constant */
                        status?: 405;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_pool_mcp: {
        parameters: {
            query?: never;
            header?: {
                /** @description MCP streamable HTTP: `application/json, text/event-stream`. */
                Accept?: components["parameters"]["McpAccept"];
                /** @description The signed stdio server spec (the gateway sets it). */
                "X-Stdio-Spec"?: components["parameters"]["X-Stdio-Spec"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JsonRpc"];
            };
        };
        responses: {
            /** @description The JSON-RPC response, as JSON or as an event stream. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpc"];
                    "text/event-stream": string;
                };
            };
            /** @description A notification or response, accepted. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `precondition_failed` (Precondition failed) */
            412: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "precondition_failed";
                        /** @constant */
                        status?: 412;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    delete_pool_mcp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `method_not_allowed` (Method not allowed) */
            405: {
                headers: {
                    Allow: components["headers"]["Allow"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "method_not_allowed";
                        /** @constant */
                        status?: 405;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_registry_proposals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description At most 100. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProposalPage"];
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_registry_proposals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["discovery.proposal"];
            };
        };
        responses: {
            /** @description The proposal. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Proposal"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied), `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied" | "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `conflict` (Conflict) */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                        /** @constant */
                        status?: 409;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    post_registry_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One bounded incremental run per source. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refreshed"];
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_registry_servers: {
        parameters: {
            query?: {
                /** @description Must be the next_cursor of the page before, unchanged. */
                cursor?: string;
                /** @description Must be a whole number from 1 to 100. */
                limit?: string;
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest version of each server, ordered by name. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistryPage"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_registry_servers_name: {
        parameters: {
            query?: {
                version?: string;
            };
            header?: never;
            path: {
                /** @description The server name with its slash percent-encoded (`io.github.user%2Fweather`). */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry, with `versions` and registration forms. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistryServer"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_registry_servers_namespace_name: {
        parameters: {
            query?: {
                version?: string;
            };
            header?: never;
            path: {
                /** @description The rest of the name. */
                name: string;
                /** @description The name up to its slash (`io.github.user`). */
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry, with `versions` and registration forms. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistryServer"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `egress_denied` (Egress denied) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "egress_denied";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `upstream_error` (Upstream error), `upstream_response_too_large` (Upstream response too large) */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_error" | "upstream_response_too_large";
                        /** @constant */
                        status?: 502;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
            /** @description `upstream_timeout` (Upstream timeout) */
            504: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "upstream_timeout";
                        /** @constant */
                        status?: 504;
                    };
                };
            };
        };
    };
    get_stdio_catalog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operator's catalog, without commands or paths. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Catalog"];
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    get_tokens: {
        parameters: {
            query?: {
                cursor?: string;
                scope?: "mine" | "org";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Without secrets. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPage"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `forbidden` (Forbidden) */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                        /** @constant */
                        status?: 403;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    post_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["tokens.create-body"];
            };
        };
        responses: {
            /** @description The token; `token` is shown only here. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewToken"];
                };
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `payload_too_large` (Payload too large) */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                        /** @constant */
                        status?: 413;
                    };
                };
            };
            /** @description `unsupported_media_type` (Unsupported media type) */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unsupported_media_type";
                        /** @constant */
                        status?: 415;
                    };
                };
            };
            /** @description `quota_exceeded` (Quota exceeded) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "quota_exceeded";
                        /** @constant */
                        status?: 429;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
    delete_tokens_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The token's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (Invalid request) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid_request";
                        /** @constant */
                        status?: 400;
                    };
                };
            };
            /** @description `unauthenticated` (Unauthenticated) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                        /** @constant */
                        status?: 401;
                    };
                };
            };
            /** @description `not_found` (Not found) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                        /** @constant */
                        status?: 404;
                    };
                };
            };
            /** @description `unavailable` (Service unavailable) */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unavailable";
                        /** @constant */
                        status?: 503;
                    };
                };
            };
        };
    };
}
